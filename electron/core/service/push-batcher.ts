/**
 * Coalesces snapshot pushes to the renderer so bursts of QMP traffic cannot flood IPC.
 *
 * A VM can change state many times a second (a guest in a reset loop, a flood of job events);
 * sending each snapshot as its own IPC message would stall the renderer. Events do not come
 * through here: they are read from the event log once per window by the events flow
 * (event-flow.ts), which also holds each page to what it keeps up with.
 */

/** Options of a {@link KeyedCoalescer}. */
export interface CoalescerOptions<T> {
  /**
   * Least time between two deliveries for one key (default: none beyond the window). A key that
   * has been quiet that long goes out at the next window; one that keeps changing goes out at
   * most this often, with its newest value.
   */
  readonly minIntervalMs?: number;
  /**
   * Whether `next` may not wait for the interval, given the value last delivered for its key:
   * a change a person must see at once (a VM disconnected), unlike one more of many (a job's
   * progress). Such a value goes out at the next window.
   */
  readonly urgent?: (delivered: T, next: T) => boolean;
}

/**
 * Keeps only the latest value per key and delivers each once per window, and per key at most
 * once per `minIntervalMs`.
 *
 * Used for whole-snapshot pushes: ten changes to one VM inside a window become one push with
 * the final state, which is all the UI needs. The interval is what bounds a busy VM: its
 * snapshot carries its jobs, and a flood of job events (ten VMs of a hundred jobs each, measured
 * in the timeline bench) changed every snapshot in every 30 ms window: 1,417 pushes and 21 MB
 * of snapshots in 10 s, as many bytes as the events themselves, all parsed by the page.
 */
export class KeyedCoalescer<T> {
  private readonly latest = new Map<string, T>();
  /** Each key's last delivery: when, and what. */
  private readonly delivered = new Map<string, { readonly at: number; readonly value: T }>();
  /** Keys whose pending value skips the interval (see {@link CoalescerOptions.urgent}). */
  private readonly urgentKeys = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (the clock's time). */
  private timerAt = 0;
  private disposed = false;
  private readonly minIntervalMs: number;
  private readonly urgent: ((delivered: T, next: T) => boolean) | undefined;

  public constructor(
    private readonly windowMs: number,
    private readonly deliver: (value: T) => void,
    options: CoalescerOptions<T> = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.urgent = options.urgent;
  }

  /** Records the newest value for `key`. */
  public set(key: string, value: T): void {
    if (this.disposed) return;
    this.latest.set(key, value);
    const delivered = this.delivered.get(key);
    if (delivered !== undefined && !this.urgentKeys.has(key) && this.urgent?.(delivered.value, value) === true) {
      this.urgentKeys.add(key);
      // A timer set for a later interval would hold it: the next window takes it instead.
      if (this.timer && this.timerAt > performance.now() + this.windowMs) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    }
    if (!this.timer) this.schedule(this.windowMs);
  }

  /** Forgets a key's pending value and its last delivery (e.g. the VM was removed). */
  public drop(key: string): void {
    this.latest.delete(key);
    this.delivered.delete(key);
    this.urgentKeys.delete(key);
  }

  /** Delivers every pending value now, whatever the interval (shutdown, tests). */
  public flush(): void {
    this.deliverDue(true);
  }

  /** Stops delivering. */
  public dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest.clear();
    this.delivered.clear();
    this.urgentKeys.clear();
  }

  private schedule(delayMs: number): void {
    this.timerAt = performance.now() + delayMs;
    this.timer = setTimeout(() => this.deliverDue(false), delayMs);
  }

  /** Delivers the keys whose interval has passed (or every key); waits for the earliest of the rest. */
  private deliverDue(everything: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due: T[] = [];
    const now = performance.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const [key, value] of this.latest) {
      const at = this.urgentKeys.has(key) ? Number.NEGATIVE_INFINITY : (this.delivered.get(key)?.at ?? Number.NEGATIVE_INFINITY) + this.minIntervalMs;
      if (everything || at <= now) {
        due.push(value);
        this.latest.delete(key);
        this.urgentKeys.delete(key);
        this.delivered.set(key, { at: now, value });
      } else nextDue = Math.min(nextDue, at);
    }
    if (nextDue !== Number.POSITIVE_INFINITY && !this.disposed) this.schedule(Math.max(1, nextDue - now));
    for (const value of due) this.deliver(value);
  }
}
