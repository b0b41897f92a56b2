/**
 * Builds `window.qmp` from the allow-listed channel names over a minimal IPC surface.
 *
 * The renderer gets one function per request channel and `on` for push channels, nothing
 * else: never `ipcRenderer` itself and never the IPC event object (which would hand the page
 * `event.sender`). The API itself is the shared RPC client; this file only adapts
 * `ipcRenderer` to its port. Imports only zod-free modules, so the sandboxed preload stays one
 * small CommonJS file. Electron-free so tests can drive it with a fake `ipcRenderer`.
 */
import { IPC_PREFIX, pushIpcChannel } from '../common/channel-names';
import type { QmpMonitorApi } from '../common/contract';
import { createRpcClient, type RpcPort } from '../common/rpc-client';

export { unwrapEnvelope } from '../common/rpc-client';

/** The parts of Electron's `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The RPC port over Electron IPC: `qmp:<name>` invokes, `qmp:push:<name>` pushes. */
export function ipcRendererPort(ipc: IpcRendererLike): RpcPort {
  return {
    request: (method, params) => ipc.invoke(IPC_PREFIX + method, params),
    onPush(channel, listener) {
      const ipcChannel = pushIpcChannel(channel);
      // Drops the event argument so nothing of Electron's reaches the page.
      const relay = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(ipcChannel, relay);
      return () => void ipc.removeListener(ipcChannel, relay);
    },
  };
}

/**
 * Builds the frozen API object that the preload exposes as `window.qmp`.
 *
 * Cancellation cannot cross contextBridge (an AbortSignal does not survive it), so the
 * renderer adds it on its side with `withCancellation`.
 */
export function buildQmpBridge(ipc: IpcRendererLike): QmpMonitorApi {
  return createRpcClient(ipcRendererPort(ipc));
}
