/**
 * The page's bridge client reads the bridge's compact frames back, and refuses what does not
 * read: an answer is rejected with the reason, a push is dropped and the next one still arrives.
 * A server that sends broken columns is a hostile peer the real one cannot be made into, so a
 * `ws` server plays it; the client is the page's own module over `ws`'s browser-style socket.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../../electron/common/channel-names';
import type { TimelineEvent } from '../../../electron/common/models';
import { framedWithEvents } from '../../../electron/web/event-frames';
import { connectWebBridge, type WebBridgeApi } from '../../../renderer/src/api/web-bridge-client';

const entry: TimelineEvent = { seq: 4, vmId: 'vm-1', event: 'STOP', timestamp: { seconds: 1_700_000_000, microseconds: 5 }, receivedAt: 1_700_000_000_006, dataJson: '{"n":18446744073709551615}' };

/** The bridge's frame of the message `outer` with `body` (its `events` compact) as its member `key`; `broken` spoils the first entry's VM index. */
function frame(outer: Record<string, unknown>, key: string, body: { events: readonly TimelineEvent[] }, broken = false): Buffer {
  const text = framedWithEvents(outer, key, body);
  const bytes = Buffer.concat(text.slices());
  text.release();
  if (broken) bytes.writeInt32LE(9, 8 + 32 * body.events.length);
  return bytes;
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

type EventsBody = { events: readonly TimelineEvent[] } & Record<string, unknown>;

/** A server that greets, answers every request with `result` (spoilt when `broken`), and can push frames or raw bytes; the page's client connected to it. */
async function hostile(result: EventsBody, broken = false): Promise<{ api: WebBridgeApi; push: (payload: EventsBody, broken?: boolean) => void; send: (bytes: Buffer) => void }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.send(JSON.stringify({ t: 'hello', apiVersion: API_VERSION }));
    socket.on('message', (data: Buffer) => {
      const { id } = JSON.parse(data.toString('utf8')) as { id: number };
      socket.send(frame({ t: 'res', id, ok: true }, 'result', result, broken));
    });
  });
  const saved = globalThis.WebSocket;
  globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
  const api = await connectWebBridge(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge`);
  globalThis.WebSocket = saved;
  closers.push(() => {
    api.close();
    server.close();
  });
  return {
    api,
    push: (payload, spoilt = false) => sockets[0]!.send(frame({ t: 'push', channel: 'events' }, 'payload', payload, spoilt)),
    send: (bytes) => sockets[0]!.send(bytes),
  };
}

/** Runs `act` with console.error collected. */
async function collectingErrors(act: () => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  const savedError = console.error;
  console.error = (...args: unknown[]) => errors.push(args.join(' '));
  try {
    await act();
  } finally {
    console.error = savedError;
  }
  return errors;
}

describe('the web bridge client and compact entries', () => {
  it('gives an answer’s and a push’s entries back as events', async () => {
    const { api, push } = await hostile({ events: [entry], lastSeq: 4, dropped: 0 });
    expect(await api.getEvents({ afterSeq: -1 })).toEqual({ events: [entry], lastSeq: 4, dropped: 0 });
    const pushed: unknown[] = [];
    api.on('events', (payload) => pushed.push(payload));
    push({ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 });
    await expect.poll(() => pushed, { timeout: 5000 }).toEqual([{ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 }]);
  });

  it('rejects an answer whose columns do not read, drops such a push, and goes on', async () => {
    const { api, push } = await hostile({ events: [entry], lastSeq: 4, dropped: 0 }, true);
    await expect(api.getEvents({ afterSeq: -1 })).rejects.toThrow(/does not read: compact events: "vm" names no string/);
    const pushed: unknown[] = [];
    api.on('events', (payload) => pushed.push(payload));
    const errors = await collectingErrors(async () => {
      push({ events: [entry], afterSeq: 3, lastSeq: 4 }, true);
      push({ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 });
      await expect.poll(() => pushed.length, { timeout: 5000 }).toBe(1);
    });
    expect(pushed).toEqual([{ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 }]);
    expect(errors).toEqual([expect.stringMatching(/a push that does not read was dropped: compact events: "vm"/)]);
  });

  it('drops binary bytes that are no frame, says so, and reads the next push', async () => {
    const { api, push, send } = await hostile({ events: [], lastSeq: -1, dropped: 0 });
    const pushed: unknown[] = [];
    api.on('events', (payload) => pushed.push(payload));
    const errors = await collectingErrors(async () => {
      send(Buffer.from('not a frame at all'));
      push({ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 });
      await expect.poll(() => pushed.length, { timeout: 5000 }).toBe(1);
    });
    expect(pushed).toEqual([{ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 }]);
    expect(errors).toEqual([expect.stringMatching(/a message that does not read was dropped: compact events: the frame is in another byte order or is not one/)]);
  });
});
