/**
 * Errors the CLI raises itself, and how any error becomes one `error:` line.
 *
 * Users script this tool, so failures must be a single predictable line with a stable exit
 * code, never a stack trace.
 */
import { QmpCommandError, QmpError } from '../core/qmp/errors';

/** Exit code for a QMP error reply (the command ran and QEMU said no). */
export const EXIT_COMMAND_ERROR = 1;
/** Exit code for usage, connection and protocol failures. */
export const EXIT_FAILURE = 2;

/** The user called the CLI wrongly; printed with a usage hint. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * One-line description of any thrown value, without stack or newlines.
 *
 * Command errors read `CLASS: DESC` (as the spec of `exec` asks); everything else uses its
 * message, which the core words for humans.
 */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof QmpCommandError) text = `${error.errorClass}: ${error.desc}`;
  else if (error instanceof Error) text = error.message || error.name;
  else text = String(error);
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim() || 'unknown error';
}

/** Exit code for an error: 1 only when QEMU answered with an error reply. */
export function exitCodeFor(error: unknown): number {
  return error instanceof QmpCommandError ? EXIT_COMMAND_ERROR : EXIT_FAILURE;
}

/** The `{class, desc}` a non-TTY shell prints for a failed command. */
export function errorReplyFor(error: unknown): { readonly class: string; readonly desc: string } {
  if (error instanceof QmpCommandError) return { class: error.errorClass, desc: error.desc };
  const cls = error instanceof QmpError ? CLIENT_CLASSES[error.kind] : 'InternalError';
  return { class: cls, desc: describeError(error) };
}

/** Error classes for failures that happened on our side of the socket (not QEMU's classes). */
const CLIENT_CLASSES: Readonly<Record<QmpError['kind'], string>> = {
  command: 'GenericError',
  connection: 'ConnectionError',
  protocol: 'ProtocolError',
  timeout: 'Timeout',
  aborted: 'Aborted',
  closed: 'ConnectionClosed',
};
