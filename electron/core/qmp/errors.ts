/**
 * Typed failures of the QMP core.
 *
 * Callers branch on `kind` (or `instanceof`) rather than parsing messages: the CLI maps
 * `command` to exit 1 and everything else to exit 2, the app shows `class`/`desc` for command
 * errors and the reason for the rest.
 */

/** What went wrong, coarse enough to decide an exit code or a UI treatment. */
export type QmpErrorKind = 'command' | 'connection' | 'protocol' | 'timeout' | 'aborted' | 'closed';

/** Base class of every error the core throws or rejects with. */
export class QmpError extends Error {
  public readonly kind: QmpErrorKind;

  public constructor(kind: QmpErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}

/** QEMU answered with `{"error": {class, desc}}`. The connection is still fine. */
export class QmpCommandError extends QmpError {
  public readonly errorClass: string;
  public readonly desc: string;

  public constructor(errorClass: string, desc: string) {
    super('command', `${errorClass}: ${desc}`);
    this.errorClass = errorClass;
    this.desc = desc;
  }
}

/** The socket could not be opened, or died (refused, no such file, reset, EOF). */
export class QmpConnectionError extends QmpError {
  /** Node's errno code when there is one (ENOENT, ECONNREFUSED, ECONNRESET…). */
  public readonly code: string | undefined;
  /** Bytes of a half-received message lost when the socket ended (0 if it ended between messages). */
  public readonly droppedBytes: number;

  public constructor(message: string, code?: string, options?: { cause?: unknown; droppedBytes?: number }) {
    super('connection', message, options);
    this.code = code;
    this.droppedBytes = options?.droppedBytes ?? 0;
  }
}

/**
 * The one wording of "this command cannot run, there is no connection", whichever layer
 * (client, supervisor, VM session) finds it out, so the CLI and the UI say it the same way.
 */
export function notConnectedError(command: string, reason: string): QmpConnectionError {
  return new QmpConnectionError(`cannot run ${command}: not connected (${reason})`);
}

/** The peer broke the protocol: bad JSON, wrong greeting, oversized or too deep message… */
export class QmpProtocolError extends QmpError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super('protocol', message, options);
  }
}

/** No greeting, no negotiation reply, or no command reply within the allowed time. */
export class QmpTimeoutError extends QmpError {
  public constructor(message: string) {
    super('timeout', message);
  }
}

/** The caller's AbortSignal fired before the reply came. */
export class QmpAbortError extends QmpError {
  public constructor(message = 'command aborted by the caller') {
    super('aborted', message);
  }
}

/** The client was closed on purpose while the command was pending. */
export class QmpClosedError extends QmpError {
  public constructor(message = 'connection closed by the client') {
    super('closed', message);
  }
}
