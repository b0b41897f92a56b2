/**
 * Reads something again and again while it is moving, one read at a time.
 *
 * A kick while a read is in flight asks for one more read after it instead of a second read
 * in parallel, so a burst of events costs one read and a slow QEMU never gets a queue of them.
 * Reads also start at least {@link PollLoop}'s `minGapMs` apart: a VM that sends job events
 * back to back (a flood of ten fake peers sent hundreds per second each) otherwise kept one
 * read in flight at all times, and those reads took 15 % of the core's CPU while adding
 * nothing the events had not already said.
 */
export class PollLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the scheduled read is due (performance.now() time); meaningful while `timer` is set. */
  private timerDue = 0;
  /** When the last read started; -Infinity before the first one of a start. */
  private lastStart = Number.NEGATIVE_INFINITY;
  private reading = false;
  private again = false;
  private stopped = true;

  /**
   * `readOnce` resolves with the wait before the next read, or undefined to stop until kicked;
   * `minGapMs` is the least time from one read's start to the next one's.
   */
  public constructor(
    private readonly readOnce: () => Promise<number | undefined>,
    private readonly minGapMs = 0,
  ) {}

  /** Begins (or resumes) reading, with one read now (a new start owes nothing to the last read). */
  public start(): void {
    this.stopped = false;
    this.lastStart = Number.NEGATIVE_INFINITY;
    this.kick();
  }

  /** Stops reading; a read in flight finishes but schedules nothing. */
  public stop(): void {
    this.stopped = true;
    this.again = false;
    this.clearTimer();
  }

  /** Reads now, or right after the read in flight, or once the gap since the last read has passed. */
  public kick(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.schedule(Math.max(0, this.lastStart + this.minGapMs - performance.now()));
  }

  /** Makes sure a read starts within `waitMs` (an earlier one already scheduled stays). */
  private schedule(waitMs: number): void {
    const due = performance.now() + waitMs;
    if (this.timer && this.timerDue <= due) return;
    this.clearTimer();
    if (waitMs <= 0) {
      void this.run();
      return;
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      if (this.reading) this.again = true;
      else void this.run();
    }, waitMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.reading = true;
    this.lastStart = performance.now();
    let nextMs: number | undefined;
    try {
      nextMs = await this.readOnce();
    } catch {
      nextMs = undefined;
    } finally {
      this.reading = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.kick();
    } else if (nextMs !== undefined) {
      this.schedule(Math.max(nextMs, this.lastStart + this.minGapMs - performance.now()));
    }
  }
}
