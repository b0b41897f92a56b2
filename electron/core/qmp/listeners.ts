/**
 * A tiny listener set whose members cannot break the emitter.
 *
 * QMP traffic is dispatched from socket callbacks: one UI listener throwing must not kill the
 * connection or starve the other listeners, so failures are reported as process warnings.
 */

/** Ordered listeners with an unsubscribe handle per subscription. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /** Adds a listener; the returned function removes it (idempotent). */
  public add(listener: (value: T) => void): () => void {
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (value: T): void => listener(value);
    this.set.add(entry);
    return () => {
      this.set.delete(entry);
    };
  }

  /** True when nobody listens, so callers can skip building a payload. */
  public get empty(): boolean {
    return this.set.size === 0;
  }

  /** Calls every listener in subscription order. */
  public emit(value: T): void {
    for (const listener of this.set) {
      try {
        listener(value);
      } catch (error) {
        process.emitWarning(`QMP listener threw: ${error instanceof Error ? error.message : String(error)}`, 'QmpListenerWarning');
      }
    }
  }

  /** Drops every listener (after the final emit of a closing client). */
  public clear(): void {
    this.set.clear();
  }
}
