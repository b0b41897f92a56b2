/**
 * Serves the contract's request channels over `ipcMain.handle`.
 *
 * Every call passes the sender guard first, then `dispatchRequest` (schema validation and
 * routing), and always answers with an `{ok, result|error}` envelope: the preload turns a
 * failed one into an Error, so an invoke never hangs and a bad payload never reaches the
 * service.
 *
 * This is the one file that touches Electron's raw `ipcMain` (the ESLint and layering rules
 * hold every other file to that): the app calls {@link serveIpcRequests}; tests drive
 * {@link registerIpcHost} with a stand-in.
 */
import { ipcMain } from 'electron';
import { REQUEST_NAMES, type RequestHandlers } from '../common/contract';
import { IPC_PREFIX } from '../common/channel-names';
import { dispatchRequest, type DispatchResult } from '../common/dispatch';
import { checkSender, type InvokeEventLike, type TrustedSenders } from './sender-guard';

/** The parts of Electron's `ipcMain` the host registers with. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the host needs to serve requests. */
export interface IpcHostOptions {
  readonly ipcMain: IpcMainLike;
  readonly handlers: RequestHandlers;
  readonly trusted: TrustedSenders;
  /** The renderer's entry URL; senders must show this origin. */
  readonly entryUrl: string;
  /** Where refusals are reported (stderr in the app). */
  readonly log: (message: string) => void;
}

/** The answer an untrusted sender gets; deliberately says nothing about why. */
export const REFUSED: DispatchResult = { ok: false, error: 'request refused: untrusted sender' };

/** Serves the contract on Electron's own `ipcMain`; returns a function that stops serving. */
export function serveIpcRequests(options: Omit<IpcHostOptions, 'ipcMain'>): () => void {
  return registerIpcHost({ ...options, ipcMain });
}

/** Registers one handler per request name; returns a function that removes them all. */
export function registerIpcHost(options: IpcHostOptions): () => void {
  const channels = REQUEST_NAMES.map((name) => {
    const channel = IPC_PREFIX + name;
    options.ipcMain.handle(channel, (event, ...args) => handleInvoke(options, name, event, args));
    return channel;
  });
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel);
  };
}

/** One invoke: guard, then validate and route. Exported for tests. */
export async function handleInvoke(
  options: Pick<IpcHostOptions, 'handlers' | 'trusted' | 'entryUrl' | 'log'>,
  name: string,
  event: InvokeEventLike,
  args: readonly unknown[],
): Promise<DispatchResult> {
  const verdict = checkSender(event, options.trusted, options.entryUrl);
  if (!verdict.trusted) {
    options.log(`ipc: refused ${name} (${verdict.reason})`);
    return REFUSED;
  }
  // The preload sends exactly one argument; anything else is not our preload talking.
  if (args.length > 1) return { ok: false, error: `invalid ${name} request: expected one argument, got ${args.length}` };
  return dispatchRequest(options.handlers, name, args[0]);
}
