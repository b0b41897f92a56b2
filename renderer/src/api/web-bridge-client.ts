/**
 * The renderer's API over the `npm run web` WebSocket bridge, shaped exactly like the preload's.
 *
 * Used when the UI runs in a plain browser (no `window.qmp`). This file is only the transport:
 * it adapts a WebSocket to the shared RPC client's port. When the socket drops (the server
 * restarts, or closes a client that sends requests and never reads the replies) every pending request rejects with
 * the reason and the client reconnects by itself with backoff (0.25 s doubling to 5 s),
 * reporting each step as a {@link LinkEvent} so the store can say so and catch up by seq.
 */
import { API_VERSION, type PushChannel } from '../../../electron/common/channel-names';
import { parseEventFrame, withEventsRead } from '../../../electron/common/compact-events';
import type { QmpMonitorApi } from '../../../electron/common/contract';
import { createRpcClient, type RpcPort } from '../../../electron/common/rpc-client';
import { reconnectDelay, type LinkEvent, type LinkSource } from '../../../electron/common/rpc-link';

/** The bridge API plus its link state and a way to close it for good. */
export type WebBridgeApi = QmpMonitorApi &
  LinkSource & {
    /** Closes the socket on purpose and stops reconnecting. */
    readonly close: () => void;
  };

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Message = { t?: unknown; id?: unknown; channel?: unknown; payload?: unknown; result?: unknown; apiVersion?: unknown };

/** A server that speaks another contract version: retrying cannot help, reloading can. */
class IncompatibleServer extends Error {}

/** Builds the bridge URL from the page's own address (`/?token=…` → `ws://host/bridge?token=…`). */
export function bridgeUrlFromLocation(location: { readonly host: string; readonly search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `ws://${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

/**
 * Opens the bridge and resolves once the server's hello arrived with our API version.
 *
 * Rejects with a clear Error when the server refuses (bad token or origin), speaks another
 * API version, or closes before saying hello. After that first success it never gives up by
 * itself: only {@link WebBridgeApi.close} or an incompatible server stops the retries.
 */
export async function connectWebBridge(url: string): Promise<WebBridgeApi> {
  const pushListeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  const linkListeners = new Set<(event: LinkEvent) => void>();
  let pending = new Map<number, Pending>();
  let socket: WebSocket | null = null;
  let downReason = 'not connected yet';
  let nextId = 1;
  let closedForGood = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const emitLink = (event: LinkEvent): void => {
    for (const listener of linkListeners) listener(event);
  };

  const deliver = (message: Message): void => {
    if (message.t === 'res' && typeof message.id === 'number') {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      let answer: Message;
      try {
        answer = 'result' in message ? { ...message, result: withEventsRead(message.result) } : message;
      } catch (error) {
        entry.reject(new Error(`the bridge sent an answer that does not read: ${(error as Error).message}`));
        return;
      }
      entry.resolve(answer);
    } else if (message.t === 'push' && typeof message.channel === 'string') {
      let payload: unknown;
      try {
        payload = withEventsRead(message.payload);
      } catch (error) {
        // Dropped whole: the next push names where it continues, and the event feed pulls the gap.
        console.error(`web bridge: a push that does not read was dropped: ${(error as Error).message}`);
        return;
      }
      for (const listener of pushListeners.get(message.channel as PushChannel) ?? []) listener(payload);
    }
  };

  const drop = (from: WebSocket, reason: string): void => {
    if (from !== socket) return;
    socket = null;
    downReason = reason;
    const error = new Error(`bridge disconnected: ${reason}`);
    const failed = pending;
    pending = new Map();
    for (const entry of failed.values()) entry.reject(error);
    if (closedForGood) emitLink({ kind: 'lost', reason, attempt: 0, nextRetryAt: null });
    else scheduleRetry(1, reason);
  };

  /** One socket, resolved after a compatible hello; later messages and the close are routed. */
  const open = (retrying: boolean): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      // Event pages and pushes come as binary frames (common/compact-events.ts), read from their bytes.
      ws.binaryType = 'arraybuffer';
      let ready = false;
      ws.addEventListener('message', (event: MessageEvent) => {
        let message: Message;
        try {
          message = (event.data instanceof ArrayBuffer ? parseEventFrame(event.data) : JSON.parse(String(event.data))) as Message;
        } catch (error) {
          // Nothing says which answer or push it was (as with text that is not JSON); a push's gap is pulled by the event feed.
          console.error(`web bridge: a message that does not read was dropped: ${(error as Error).message}`);
          return;
        }
        if (message.t === 'hello') {
          if (message.apiVersion !== API_VERSION) {
            reject(new IncompatibleServer(`bridge speaks API version ${String(message.apiVersion)}, this page needs ${API_VERSION}; reload the page`));
            ws.close(1000, 'api version mismatch');
            return;
          }
          ready = true;
          resolve(ws);
        } else if (ready && ws === socket) {
          deliver(message);
        }
      });
      ws.addEventListener('close', (event: CloseEvent) => {
        if (ready) return drop(ws, event.reason || `connection closed (code ${event.code})`);
        const refused = retrying
          ? `could not reach the server (code ${event.code})`
          : `the server refused the connection (code ${event.code}); open the URL printed by npm run web`;
        reject(new Error(event.reason || refused));
      });
    });

  const scheduleRetry = (attempt: number, reason: string): void => {
    const delay = reconnectDelay(attempt);
    emitLink({ kind: 'lost', reason, attempt, nextRetryAt: Date.now() + delay });
    retryTimer = setTimeout(() => {
      open(true).then(
        (ws) => {
          if (closedForGood) return ws.close(1000, 'closed by the page');
          socket = ws;
          emitLink({ kind: 'restored', attempt });
        },
        (error: unknown) => {
          if (closedForGood) return;
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof IncompatibleServer) emitLink({ kind: 'lost', reason: message, attempt, nextRetryAt: null });
          else scheduleRetry(attempt + 1, message);
        },
      );
    }, delay);
  };

  const port: RpcPort = {
    request(method, params) {
      const current = socket;
      if (current === null) return Promise.reject(new Error(`bridge disconnected: ${downReason}`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        current.send(JSON.stringify({ t: 'req', id, method, params }));
      });
    },
    onPush(channel, listener) {
      const set = pushListeners.get(channel) ?? new Set();
      pushListeners.set(channel, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };

  socket = await open(false);
  return Object.freeze({
    ...createRpcClient(port),
    onLink: (listener: (event: LinkEvent) => void) => {
      linkListeners.add(listener);
      return () => void linkListeners.delete(listener);
    },
    close: () => {
      closedForGood = true;
      clearTimeout(retryTimer);
      socket?.close(1000, 'closed by the page');
    },
  });
}
