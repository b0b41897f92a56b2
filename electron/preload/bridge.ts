/**
 * Builds `window.qmp` from the allow-listed channel names over a minimal IPC surface.
 *
 * The renderer gets one function per request channel and `on` for push channels, nothing
 * else: never `ipcRenderer` itself and never the IPC event object (which would hand the page
 * `event.sender`). Imports only the zod-free name lists, so the sandboxed preload stays one
 * small CommonJS file. Electron-free so tests can drive it with a fake `ipcRenderer`.
 */
import { IPC_PREFIX, PUSH_CHANNELS, REQUEST_CHANNELS, pushIpcChannel, type PushChannel } from '../common/channel-names';
import type { QmpMonitorApi } from '../common/contract';

/** The parts of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const PUSH_SET: ReadonlySet<string> = new Set(PUSH_CHANNELS);

/** Turns the main side's `{ok, result|error}` envelope into a value or a thrown Error. */
export function unwrapEnvelope(channel: string, reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const envelope = reply as { ok: unknown; result?: unknown; error?: unknown };
    if (envelope.ok === true) return envelope.result;
    if (envelope.ok === false) throw new Error(typeof envelope.error === 'string' ? envelope.error : `${channel} failed`);
  }
  throw new Error(`${channel}: malformed reply from the main process`);
}

/** Builds the frozen API object that the preload exposes as `window.qmp`. */
export function buildQmpBridge(ipc: IpcRendererLike): QmpMonitorApi {
  const api: Record<string, unknown> = {};
  for (const name of REQUEST_CHANNELS) {
    api[name] = async (params: unknown) => unwrapEnvelope(name, await ipc.invoke(IPC_PREFIX + name, params));
  }
  api['on'] = (channel: unknown, listener: unknown): (() => void) => {
    if (typeof channel !== 'string' || !PUSH_SET.has(channel)) {
      throw new Error(`unknown push channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
    }
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const ipcChannel = pushIpcChannel(channel as PushChannel);
    // Drops the event argument so nothing of Electron's reaches the page.
    const relay = (_event: unknown, payload: unknown): void => void (listener as (p: unknown) => void)(payload);
    ipc.on(ipcChannel, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(ipcChannel, relay);
    };
  };
  return Object.freeze(api) as unknown as QmpMonitorApi;
}
