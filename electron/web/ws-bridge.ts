/**
 * Serves the QmpMonitorApi over a WebSocket, message for message like the Electron IPC host.
 *
 * Wire format (JSON text frames, but for the binary ones named below):
 *   server → client first: `{"t":"hello","apiVersion":3}`
 *   client → server:       `{"t":"req","id":1,"method":"listVms","params":{}}`
 *   server → client:       `{"t":"res","id":1,"ok":true,"result":…}` or `{"t":"res","id":1,"ok":false,"error":"…"}`
 *   pushes:                `{"t":"push","channel":"events","payload":…}`
 * except that a `getEvents` result or an `events` push is a binary frame: its entries as
 * columns, then the message's JSON with `eventColumns` instead of `events`
 * (common/compact-events.ts), which the page's client reads back before anything else sees it.
 * Every request goes through `dispatchRequest`, so bad input is answered, never executed.
 *
 * A page that reads slowly is never dropped for it: the `events` flow (core/service/event-flow.ts)
 * holds its pushes back while its socket holds more than {@link PUSH_CONGESTED_BYTES} unsent,
 * and goes on from the page's cursor once the socket has drained. Frames that
 * carry events (a `getEvents` page, an `events` push) are written entry by entry (event-frames.ts).
 */
import type { WebSocket } from 'ws';
import { API_VERSION, type PushPayload, type RequestResult } from '../common/contract';
import { dispatchRequest } from '../common/dispatch';
import type { MonitorServiceHandle } from '../core/service/service-types';
import type { ChunkedText } from '../core/chunked-text';
import { framedWithEvents } from './event-frames';

/** Largest request we read; bigger ones are answered with an error. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
/** While this much is unsent on a socket, the events flow sends that page nothing (it tries again next window). */
export const PUSH_CONGESTED_BYTES = 4 * 1024 * 1024;
/**
 * Only a client that sends requests and never reads the answers gets this far (flow-controlled
 * pushes stop at a few MB, and the page has one events page in flight): it is closed so it cannot
 * fill main's memory. It reconnects and catches up by seq.
 */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

type RequestId = number | string | null;

/** Adds one authenticated socket to the bridge. */
export function serveBridgeSocket(socket: WebSocket, service: MonitorServiceHandle): void {
  /** Sends one message: `message` as JSON text, or the binary frame `build` writes (called only when it can be sent). */
  const send = (message: unknown, build?: () => ChunkedText): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, 'client not reading its replies; reconnect and catch up');
      return;
    }
    if (!build) return socket.send(JSON.stringify(message));
    // One message in fragments, one per chunk, sent together (nothing can come between them);
    // the chunks go back to the pool once the last is written.
    const text = build();
    const views = text.slices();
    views.forEach((view, index) => {
      const fin = index === views.length - 1;
      socket.send(view, { binary: true, fin }, fin ? () => text.release() : undefined);
    });
  };
  const fail = (id: RequestId, error: string): void => send({ t: 'res', id, ok: false, error });

  send({ t: 'hello', apiVersion: API_VERSION });
  const unsubscribe = service.onPush(
    (channel, payload) =>
      channel === 'events'
        ? send(undefined, () => framedWithEvents({ t: 'push', channel }, 'payload', payload as PushPayload<'events'>))
        : send({ t: 'push', channel, payload }),
    {
      congested: () => socket.bufferedAmount > PUSH_CONGESTED_BYTES,
    },
  );
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);

  socket.on('message', (data, isBinary) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) return fail(null, 'binary messages are not accepted; send JSON text');
    if (bytes.length > MAX_REQUEST_BYTES) return fail(null, `message too large (${bytes.length} bytes, limit ${MAX_REQUEST_BYTES})`);
    let message: unknown;
    try {
      message = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return fail(null, `message is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return fail(null, 'message must be a JSON object');
    const { t, id, method, params } = message as Record<string, unknown>;
    const validId = typeof id === 'number' || typeof id === 'string' ? id : null;
    if (t !== 'req') return fail(validId, `unknown message type ${JSON.stringify(t ?? null)}; expected "req"`);
    if (validId === null) return fail(null, 'request needs an "id" (number or string)');
    void dispatchRequest(service.handlers, method, params)
      .then((outcome) => {
        if (!outcome.ok) return fail(validId, outcome.error);
        const head = { t: 'res', id: validId, ok: true };
        if (method === 'getEvents') send(undefined, () => framedWithEvents(head, 'result', outcome.result as RequestResult<'getEvents'>));
        else send({ ...head, result: outcome.result });
      })
      // A result that cannot be sent (say, not serialisable) still gets an answer, and a
      // rejection here would otherwise be unhandled and end the process.
      .catch((error: unknown) => fail(validId, `could not send the result: ${error instanceof Error ? error.message : 'unknown error'}`));
  });
}
