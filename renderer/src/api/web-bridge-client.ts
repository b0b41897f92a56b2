/**
 * The renderer's API over the `npm run web` WebSocket bridge, shaped exactly like the preload's.
 *
 * Used when the UI runs in a plain browser (no `window.qmp`). It does not reconnect by itself:
 * after a drop every pending request rejects with the reason, `closed` resolves with it and
 * `onClosed` listeners run, so the UI can say "bridge disconnected" and offer a reload (which
 * catches up on events by seq like any fresh start).
 */
import { API_VERSION, PUSH_CHANNELS, REQUEST_CHANNELS } from '../../../electron/common/channel-names';
import type { PushName, PushPayload, QmpMonitorApi, RequestName } from '../../../electron/common/contract';

/** The bridge API plus how to learn that the bridge went away. */
export type WebBridgeApi = QmpMonitorApi & {
  /** Resolves with the reason once the socket is closed. */
  readonly closed: Promise<string>;
  /** Runs `listener` with the reason when the socket closes; returns the unsubscribe function. */
  readonly onClosed: (listener: (reason: string) => void) => () => void;
  /** Closes the socket on purpose. */
  readonly close: () => void;
};

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** Builds the bridge URL from the page's own address (`/?token=…` → `ws://host/bridge?token=…`). */
export function bridgeUrlFromLocation(location: { readonly host: string; readonly search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `ws://${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

/**
 * Opens the bridge and resolves once the server's hello arrived with our API version.
 *
 * Rejects with a clear Error when the server refuses (bad token or origin), speaks another
 * API version, or closes before saying hello.
 */
export function connectWebBridge(url: string): Promise<WebBridgeApi> {
  return new Promise((resolveApi, rejectApi) => {
    const socket = new WebSocket(url);
    const pending = new Map<number, Pending>();
    const listeners = new Map<PushName, Set<(payload: unknown) => void>>();
    const closeListeners = new Set<(reason: string) => void>();
    let nextId = 1;
    let ready = false;
    let closeReason: string | undefined;
    let markClosed: (reason: string) => void = () => undefined;
    const closed = new Promise<string>((resolve) => (markClosed = resolve));

    const request = (method: RequestName, params: unknown): Promise<unknown> => {
      if (closeReason !== undefined) return Promise.reject(new Error(`bridge disconnected: ${closeReason}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ t: 'req', id, method, params: params ?? {} }));
      });
    };

    const api: Record<string, unknown> = {
      on: <K extends PushName>(channel: K, listener: (payload: PushPayload<K>) => void) => {
        if (!PUSH_CHANNELS.includes(channel)) throw new Error(`unknown push channel '${String(channel)}'`);
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        const wrapped = listener as (payload: unknown) => void;
        set.add(wrapped);
        return () => void set.delete(wrapped);
      },
      closed,
      onClosed: (listener: (reason: string) => void) => {
        closeListeners.add(listener);
        return () => void closeListeners.delete(listener);
      },
      close: () => socket.close(1000, 'closed by the page'),
    };
    for (const name of REQUEST_CHANNELS) api[name] = (params: unknown) => request(name, params);

    socket.addEventListener('message', (event: MessageEvent) => {
      let message: { t?: unknown; id?: unknown; ok?: unknown; result?: unknown; error?: unknown; channel?: unknown; payload?: unknown; apiVersion?: unknown };
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        return; // The server only sends JSON; ignore anything else rather than crash the UI.
      }
      if (message.t === 'hello') {
        if (message.apiVersion !== API_VERSION) {
          rejectApi(new Error(`bridge speaks API version ${String(message.apiVersion)}, this page needs ${API_VERSION}; reload the page`));
          socket.close(1000, 'api version mismatch');
          return;
        }
        ready = true;
        resolveApi(api as WebBridgeApi);
      } else if (message.t === 'res' && typeof message.id === 'number') {
        const entry = pending.get(message.id);
        if (!entry) return;
        pending.delete(message.id);
        if (message.ok === true) entry.resolve(message.result);
        else entry.reject(new Error(typeof message.error === 'string' ? message.error : 'request failed'));
      } else if (message.t === 'push' && typeof message.channel === 'string') {
        for (const listener of listeners.get(message.channel as PushName) ?? []) listener(message.payload);
      }
    });

    socket.addEventListener('close', (event: CloseEvent) => {
      const reason =
        event.reason ||
        (ready ? `connection closed (code ${event.code})` : `the server refused the connection (code ${event.code}); open the URL printed by npm run web`);
      closeReason = reason;
      const error = new Error(`bridge disconnected: ${reason}`);
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
      if (!ready) rejectApi(error);
      markClosed(reason);
      for (const listener of closeListeners) listener(reason);
    });
  });
}
