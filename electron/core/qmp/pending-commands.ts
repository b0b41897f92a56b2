/**
 * The commands a client has sent and not yet seen answered.
 *
 * Keeps correlation, per-command timeouts and abort handling out of the socket code, and
 * remembers ids given up on (timeout, abort) so their late replies are dropped quietly instead
 * of being reported as foreign traffic.
 */
import { QmpAbortError, QmpTimeoutError, type QmpError } from './errors';

interface Pending {
  readonly command: string;
  readonly resolve: (value: never) => void;
  readonly reject: (error: QmpError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** How many abandoned ids we remember; older late replies then count as plain unmatched. */
const MAX_ABANDONED = 10_000;

/** Outcome of matching a reply id. */
export type ReplyMatch = 'matched' | 'late' | 'unknown';

/**
 * Registry of in-flight commands keyed by our ids.
 *
 * One instance per connection; `failAll` empties it when the connection ends.
 */
export class PendingCommands {
  private readonly byId = new Map<number | string, Pending>();
  private readonly abandoned = new Set<number | string>();

  /** Number of commands waiting for a reply. */
  public get size(): number {
    return this.byId.size;
  }

  /** Names of the waiting commands, oldest first (for close reasons). */
  public commandNames(): string[] {
    return [...this.byId.values()].map((p) => p.command);
  }

  /**
   * Registers a command and arms its timeout and abort signal.
   *
   * Returns the promise the caller awaits; settling it always clears the timer and the abort
   * listener so nothing outlives the command.
   */
  public add<T>(id: number | string, command: string, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { command, resolve: resolve, reject, timer: undefined, signal, onAbort: undefined };
      if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => this.giveUp(id, new QmpTimeoutError(`no reply to ${command} within ${timeoutMs} ms`)), timeoutMs);
      }
      if (signal) {
        entry.onAbort = () => this.giveUp(id, new QmpAbortError(`${command} aborted by the caller before QEMU replied`));
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.byId.set(id, entry);
    });
  }

  /** Resolves the command with this id; reports whether the id was ours. */
  public resolve(id: unknown, value: unknown): ReplyMatch {
    const entry = this.take(id);
    if (entry) entry.resolve(value as never);
    return entry ? 'matched' : this.lateOrUnknown(id);
  }

  /** Rejects the command with this id with QEMU's error; reports whether the id was ours. */
  public reject(id: unknown, error: QmpError): ReplyMatch {
    const entry = this.take(id);
    if (entry) entry.reject(error);
    return entry ? 'matched' : this.lateOrUnknown(id);
  }

  /**
   * Settles a reply that names no command (QEMU's answer to text it could not parse).
   *
   * With one command in flight the error can only be its; with several, any of them may have
   * been lost, so each is failed at once with `ambiguous(names)` rather than left to time out.
   * Either way the ids are remembered, so a real reply that still comes is dropped as late.
   */
  public rejectUnaddressed(error: QmpError, ambiguous: (commands: readonly string[]) => QmpError): ReplyMatch {
    const ids = [...this.byId.keys()];
    if (ids.length === 0) return 'unknown';
    const failure = ids.length === 1 ? error : ambiguous(this.commandNames());
    for (const id of ids) this.giveUp(id, failure);
    return 'matched';
  }

  /** Rejects every waiting command; `reasonFor` words the error per command name. */
  public failAll(reasonFor: (command: string) => QmpError): void {
    const entries = [...this.byId.values()];
    this.byId.clear();
    for (const entry of entries) {
      this.disarm(entry);
      entry.reject(reasonFor(entry.command));
    }
  }

  private giveUp(id: number | string, error: QmpError): void {
    const entry = this.take(id);
    if (!entry) return;
    this.abandoned.add(id);
    if (this.abandoned.size > MAX_ABANDONED) {
      const oldest = this.abandoned.values().next().value;
      if (oldest !== undefined) this.abandoned.delete(oldest);
    }
    entry.reject(error);
  }

  private take(id: unknown): Pending | undefined {
    if (typeof id !== 'number' && typeof id !== 'string') return undefined;
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    this.disarm(entry);
    return entry;
  }

  private disarm(entry: Pending): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
  }

  private lateOrUnknown(id: unknown): ReplyMatch {
    return (typeof id === 'number' || typeof id === 'string') && this.abandoned.delete(id) ? 'late' : 'unknown';
  }
}
