/**
 * Coalesces snapshot pushes to the renderer so bursts of QMP traffic cannot flood IPC.
 *
 * A VM can change state many times a second (a guest in a reset loop); sending each snapshot as
 * its own IPC message would stall the renderer. Events do not come through here: they are read
 * from the event log once per window by the events flow (event-flow.ts), which also holds each
 * page to what it keeps up with.
 */

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
