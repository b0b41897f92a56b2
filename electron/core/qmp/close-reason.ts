/**
 * Words the end of a QMP connection, for the client's state and for each pending command.
 *
 * A user staring at a failed command needs to know what happened to the connection (QEMU
 * exited, reset, sent garbage, we closed it) and which command was caught by it.
 */
import { QmpClosedError, QmpConnectionError, QmpError, QmpProtocolError } from './errors';
import { socketError } from './open-socket';
import type { QmpTarget } from './types';

/** How a connection ended, as the client observed it. */
export type EndCause =
  | { readonly kind: 'eof'; readonly dropped: number }
  | { readonly kind: 'error'; readonly error: NodeJS.ErrnoException | undefined; readonly dropped: number }
  | { readonly kind: 'protocol'; readonly error: QmpError }
  | { readonly kind: 'fatal'; readonly error: QmpError }
  | { readonly kind: 'client' };

/** The connection-level error and the final phase it leads to. */
export interface EndOutcome {
  readonly error: QmpError;
  readonly phase: 'closed' | 'failed';
}

function droppedNote(dropped: number): string {
  return dropped > 0 ? `; a half-received message (${dropped} bytes) was dropped` : '';
}

function stage(phase: string): string {
  if (phase === 'greeting' || phase === 'connecting') return ' before sending the greeting';
  if (phase === 'negotiating') return ' during capability negotiation';
  return '';
}

function protocolText(error: QmpError): string {
  if (/exceed|too large|limit/i.test(error.message)) return `message too large, connection closed (${error.message})`;
  return `protocol error, connection closed (${error.message})`;
}

/**
 * Builds the connection-level error for a cause.
 *
 * Ends before 'ready' or caused by a broken peer are 'failed'; a peer that goes away after
 * working (QEMU quit or was killed) and our own close are 'closed'.
 */
export function closeErrorFor(cause: EndCause, target: QmpTarget, phase: string): EndOutcome {
  const early = phase !== 'ready';
  switch (cause.kind) {
    case 'client':
      return { error: new QmpClosedError('connection closed by the client'), phase: 'closed' };
    case 'eof':
      return {
        error: new QmpConnectionError(`connection closed by QEMU (EOF)${stage(phase)}${droppedNote(cause.dropped)}`, 'EOF', {
          droppedBytes: cause.dropped,
        }),
        phase: early ? 'failed' : 'closed',
      };
    case 'error': {
      const base = cause.error
        ? socketError(target, cause.error, 'connection lost to')
        : new QmpConnectionError(`connection to QEMU closed${stage(phase)}`);
      const error = new QmpConnectionError(`${base.message}${droppedNote(cause.dropped)}`, base.code, {
        cause: cause.error,
        droppedBytes: cause.dropped,
      });
      return { error, phase: early ? 'failed' : 'closed' };
    }
    case 'protocol':
      return { error: new QmpProtocolError(protocolText(cause.error), { cause: cause.error }), phase: 'failed' };
    case 'fatal':
      return { error: cause.error, phase: 'failed' };
  }
}

/**
 * Builds the rejection of one pending command from the connection-level error.
 *
 * The command name goes in the middle so the dropped-bytes note stays at the end.
 */
export function describeEnd(cause: EndCause, error: QmpError, command: string): QmpError {
  const waiting = ` while waiting for the reply to ${command}`;
  const note = 'dropped' in cause ? droppedNote(cause.dropped) : '';
  const head = note ? error.message.slice(0, error.message.length - note.length) : error.message;
  const message = `${head}${waiting}${note}`;
  if (error instanceof QmpClosedError) return new QmpClosedError(message);
  if (error instanceof QmpProtocolError) return new QmpProtocolError(message, { cause: error });
  if (error instanceof QmpConnectionError) return new QmpConnectionError(message, error.code, { cause: error });
  return new QmpError(error.kind, message, { cause: error });
}
