/**
 * Reads something again and again while it is moving, one read at a time.
 *
 * A kick while a read is in flight asks for one more read after it instead of a second read
 * in parallel, so a burst of events costs one read and a slow QEMU never gets a queue of them.
 */
export class PollLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading = false;
  private again = false;
  private stopped = true;

  /** `readOnce` resolves with the wait before the next read, or undefined to stop until kicked. */
  public constructor(private readonly readOnce: () => Promise<number | undefined>) {}

  /** Begins (or resumes) reading, with one read now. */
  public start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops reading; a read in flight finishes but schedules nothing. */
  public stop(): void {
    this.stopped = true;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads now (or right after the read in flight). */
  public kick(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.run();
  }

  private async run(): Promise<void> {
    this.reading = true;
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
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, nextMs);
    }
  }
}
