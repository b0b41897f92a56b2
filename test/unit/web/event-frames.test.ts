/**
 * Event pages and pushes leave the bridge as binary frames whose entries read back from the
 * compact form (common/compact-events.ts) and whose other members are what JSON.stringify would
 * write, also when a page is bigger than one pooled chunk and goes out as several fragments of
 * one message; other answers stay JSON text.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import type { MonitorServiceHandle, PushListener } from '../../../electron/core/service/service-types';
import { CHUNK_BYTES } from '../../../electron/core/chunked-text';
import { readBridgeMessage } from '../../../electron/common/compact-events';
import { framedWithEvents } from '../../../electron/web/event-frames';
import { serveBridgeSocket } from '../../../electron/web/ws-bridge';
import { API_VERSION } from '../../../electron/common/channel-names';

const entry = (seq: number): TimelineEvent => ({
  seq,
  vmId: 'vm-ä',
  event: seq % 2 === 0 ? 'BLOCK_JOB_COMPLETED' : 'RESUME',
  timestamp: { seconds: 1_700_000_000, microseconds: seq },
  receivedAt: 1_700_000_000_000 + seq,
  ...(seq % 2 === 0 ? { dataJson: `{"device":"drive${seq}","len":18446744073709551615,"note":"日本 \\"q\\""}` } : {}),
  ...(seq % 7 === 0 ? { marker: 'command' as const } : {}),
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The bridge over a real socket, in front of a service that serves `events` and pushes on demand. */
async function bridge(events: TimelineEvent[]): Promise<{ client: WebSocket; messages: unknown[]; push: (payload: unknown) => void }> {
  let listener: PushListener | undefined;
  const service = {
    handlers: { getEvents: async () => ({ events, lastSeq: events.length - 1, dropped: 0, held: events.length }) },
    onPush: (l: PushListener) => {
      listener = l;
      return () => undefined;
    },
    dispose: async () => undefined,
  } as unknown as MonitorServiceHandle;
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => serveBridgeSocket(socket, service));
  await new Promise((resolve) => server.once('listening', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxPayload: 0 });
  const messages: unknown[] = [];
  client.on('message', (data: Buffer, isBinary) => messages.push({ binary: isBinary, message: readBridgeMessage(data, isBinary) }));
  await new Promise((resolve) => client.once('open', resolve));
  closers.push(async () => {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  return { client, messages, push: (payload) => listener?.('events', payload as never) };
}

/** The message a frame holds, its entries read back as the page's client does. */
function readBack(frame: { slices(): Buffer[] }): unknown {
  return readBridgeMessage(Buffer.concat(frame.slices()), true);
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('no answer within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('event frames', () => {
  it('write the JSON of the whole message', () => {
    const body = { events: [entry(0), entry(1), entry(7)], afterSeq: -1, lastSeq: 7, flow: 'f', behind: true };
    const text = framedWithEvents({ t: 'push', channel: 'events' }, 'payload', body);
    expect(readBack(text)).toEqual({ t: 'push', channel: 'events', payload: body });
    const empty = framedWithEvents({}, 'result', { events: [] });
    expect(readBack(empty)).toEqual({ result: { events: [] } });
    text.release();
    empty.release();
  });

  it('send a page bigger than a chunk as one binary message, then pushes after it', async () => {
    const events = Array.from({ length: 60_000 }, (_, seq) => entry(seq));
    const { client, messages, push } = await bridge(events);
    const framed = framedWithEvents({}, 'result', { events });
    expect(framed.length).toBeGreaterThan(CHUNK_BYTES);
    framed.release();
    client.send(JSON.stringify({ t: 'req', id: 1, method: 'getEvents', params: { afterSeq: -1 } }));
    await until(() => messages.length >= 2);
    push({ events: [entry(60_000)], afterSeq: 59_999, lastSeq: 60_000, flow: 'f' });
    await until(() => messages.length >= 3);
    expect(messages[0]).toEqual({ binary: false, message: { t: 'hello', apiVersion: API_VERSION } });
    expect(messages[1]).toEqual({ binary: true, message: { t: 'res', id: 1, ok: true, result: { events, lastSeq: 59_999, dropped: 0, held: 60_000 } } });
    expect(messages[2]).toEqual({ binary: true, message: { t: 'push', channel: 'events', payload: { events: [entry(60_000)], afterSeq: 59_999, lastSeq: 60_000, flow: 'f' } } });
  });
});
