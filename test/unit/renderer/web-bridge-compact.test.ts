/**
 * The page's bridge client reads the bridge's compact entries back, and refuses what does not
 * read: an answer is rejected with the reason, a push is dropped and the next one still arrives.
 * A server that sends broken columns is a hostile peer the real one cannot be made into, so a
 * `ws` server plays it; the client is the page's own module over `ws`'s browser-style socket.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../../electron/common/channel-names';
import { writeCompactEvents } from '../../../electron/common/compact-events';
import type { TimelineEvent } from '../../../electron/common/models';
import { connectWebBridge, type WebBridgeApi } from '../../../renderer/src/api/web-bridge-client';

const entry: TimelineEvent = { seq: 4, vmId: 'vm-1', event: 'STOP', timestamp: { seconds: 1_700_000_000, microseconds: 5 }, receivedAt: 1_700_000_000_006, dataJson: '{"n":18446744073709551615}' };

/** `events` in the compact form, as the bridge writes them. */
function compact(events: readonly TimelineEvent[]): unknown {
  const pieces: string[] = [];
  writeCompactEvents(events, (piece) => pieces.push(piece));
  return JSON.parse(pieces.join(''));
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server that greets, answers every request with `result`, and can push; the page's client connected to it. */
async function hostile(result: unknown): Promise<{ api: WebBridgeApi; push: (payload: unknown) => void }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.send(JSON.stringify({ t: 'hello', apiVersion: API_VERSION }));
    socket.on('message', (data: Buffer) => {
      const { id } = JSON.parse(data.toString('utf8')) as { id: number };
      socket.send(JSON.stringify({ t: 'res', id, ok: true, result }));
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
  return { api, push: (payload) => sockets[0]!.send(JSON.stringify({ t: 'push', channel: 'events', payload })) };
}

describe('the web bridge client and compact entries', () => {
  it('gives an answer’s and a push’s entries back as events', async () => {
    const { api, push } = await hostile({ eventColumns: compact([entry]), lastSeq: 4, dropped: 0 });
    expect(await api.getEvents({ afterSeq: -1 })).toEqual({ events: [entry], lastSeq: 4, dropped: 0 });
    const pushed: unknown[] = [];
    api.on('events', (payload) => pushed.push(payload));
    push({ eventColumns: compact([{ ...entry, seq: 5 }]), afterSeq: 4, lastSeq: 5 });
    await expect.poll(() => pushed, { timeout: 5000 }).toEqual([{ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 }]);
  });

  it('rejects an answer whose columns do not read, drops such a push, and goes on', async () => {
    const broken = { ...(compact([entry]) as Record<string, unknown>), vm: [9] };
    const { api, push } = await hostile({ eventColumns: broken, lastSeq: 4, dropped: 0 });
    await expect(api.getEvents({ afterSeq: -1 })).rejects.toThrow(/does not read: compact events: "vm" names no string/);
    const pushed: unknown[] = [];
    api.on('events', (payload) => pushed.push(payload));
    const errors: unknown[] = [];
    const savedError = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      push({ eventColumns: broken, afterSeq: 3, lastSeq: 4 });
      push({ eventColumns: compact([{ ...entry, seq: 5 }]), afterSeq: 4, lastSeq: 5 });
      await expect.poll(() => pushed.length, { timeout: 5000 }).toBe(1);
    } finally {
      console.error = savedError;
    }
    expect(pushed).toEqual([{ events: [{ ...entry, seq: 5 }], afterSeq: 4, lastSeq: 5 }]);
    expect(errors).toEqual([expect.stringMatching(/a push that does not read was dropped: compact events: "vm"/)]);
  });
});
