/**
 * Opens the raw socket to a QMP target with a deadline and readable failures.
 *
 * Node's errno codes alone ("ENOENT") do not tell a user what to fix, so each common one is
 * worded for the QMP case (no QEMU on that path, QEMU not listening, permission…).
 */
import { connect, type Socket } from 'node:net';
import { QmpAbortError, QmpConnectionError, QmpTimeoutError, type QmpError } from './errors';
import { formatTarget } from './target';
import type { QmpTarget } from './types';

const HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'no socket at that path (is QEMU running with -qmp unix:PATH,server=on?)',
  ECONNREFUSED: 'connection refused (nothing listening; QEMU not running or not started with server=on?)',
  EACCES: 'permission denied on the socket',
  ENOTSOCK: 'that path is not a socket',
  ECONNRESET: 'connection reset by the peer',
  EPIPE: 'the peer closed the connection while we were writing',
  ETIMEDOUT: 'the network connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host name not found',
};

/** Words a socket error for a user, keeping Node's code for callers that branch on it. */
export function socketError(target: QmpTarget, error: NodeJS.ErrnoException, when: string): QmpConnectionError {
  const code = error.code;
  const hint = (code && HINTS[code]) ?? error.message;
  return new QmpConnectionError(`${when} ${formatTarget(target)}: ${hint}${code ? ` (${code})` : ''}`, code, { cause: error });
}

/**
 * Connects and resolves with the socket once it is open.
 *
 * On timeout or abort the half-open socket is destroyed, so a failed connect leaves no handle.
 */
export function openSocket(target: QmpTarget, timeoutMs: number, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new QmpAbortError(`connecting to ${formatTarget(target)} was cancelled`));
      return;
    }
    const socket = target.kind === 'unix' ? connect({ path: target.path }) : connect({ host: target.host, port: target.port });
    const fail = (error: QmpError): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: NodeJS.ErrnoException): void => fail(socketError(target, error, 'cannot connect to'));
    const onAbort = (): void => fail(new QmpAbortError(`connecting to ${formatTarget(target)} was cancelled`));
    const timer = setTimeout(
      () => fail(new QmpTimeoutError(`could not connect to ${formatTarget(target)} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onConnect = (): void => {
      cleanup();
      resolve(socket);
    };
    function cleanup(): void {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('connect', onConnect);
      signal?.removeEventListener('abort', onAbort);
    }
    socket.once('error', onError);
    socket.once('connect', onConnect);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
