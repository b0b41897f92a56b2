/**
 * Coalesces pushes to the renderer so bursts of QMP traffic cannot flood IPC.
 *
 * A VM can emit thousands of events a second (a guest in a reset loop, a block job); sending
 * each as its own IPC message would stall the renderer. Both helpers here hold items for one
 * short window and then deliver them together.
 */

/** Options of {@link PushBatcher}. */
export interface PushBatcherOptions<T> {
  /** How long items gather before one delivery. */
  readonly windowMs: number;
  /** Largest batch in one delivery; the rest waits for the next window. */
  readonly maxPerFlush: number;
  readonly deliver: (items: readonly T[]) => void;
}

/**
 * Queues items and delivers them in batches, at most one batch per window.
 *
 * Caps each batch so a backlog drains over several windows instead of one giant message.
 */
export class PushBatcher<T> {
  private queue: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  public constructor(private readonly options: PushBatcherOptions<T>) {}

  /** Number of items waiting. */
  public get pending(): number {
    return this.queue.length;
  }

  /** Queues one item and makes sure a delivery is scheduled. */
  public add(item: T): void {
    if (this.disposed) return;
    this.queue.push(item);
    this.schedule();
  }

  /** Delivers up to one batch right now (used on dispose and in tests). */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue.length <= this.options.maxPerFlush ? this.queue : this.queue.slice(0, this.options.maxPerFlush);
    this.queue = batch === this.queue ? [] : this.queue.slice(this.options.maxPerFlush);
    this.options.deliver(batch);
    if (this.queue.length > 0) this.schedule();
  }

  /** Drops anything queued and stops the timer. */
  public dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.windowMs);
  }
}

/**
 * Keeps only the latest value per key and delivers each once per window.
 *
 * Used for whole-snapshot pushes: ten changes to one VM inside a window become one push with
 * the final state, which is all the UI needs.
 */
export class KeyedCoalescer<T> {
  private readonly latest = new Map<string, T>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  public constructor(
    private readonly windowMs: number,
    private readonly deliver: (value: T) => void,
  ) {}

  /** Records the newest value for `key`. */
  public set(key: string, value: T): void {
    if (this.disposed) return;
    this.latest.set(key, value);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.windowMs);
  }

  /** Forgets a key's pending value (e.g. the VM was removed). */
  public drop(key: string): void {
    this.latest.delete(key);
  }

  /** Delivers every pending value now. */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const values = [...this.latest.values()];
    this.latest.clear();
    for (const value of values) this.deliver(value);
  }

  /** Stops delivering. */
  public dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest.clear();
  }
}
