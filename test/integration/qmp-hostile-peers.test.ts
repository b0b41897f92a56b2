/**
 * The client against peers real QEMU cannot imitate: silent, broken, flooding or lying ones.
 *
 * Each case checks the promise made to users: a clear typed error, nothing lost that was
 * complete, no hang, and pending commands failed with a reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpCommandError, QmpConnectionError, QmpError, QmpProtocolError, QmpTimeoutError } from '../../electron/core/qmp/errors';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import type { JsonObject } from '../../electron/common/json-text';
import type { QmpEvent } from '../../electron/core/qmp/types';
import { QEMU_GREETING, startFakeQmpServer, type FakeQmpOptions, type FakeQmpServer } from '../support/fake-qmp-server';
import { waitFor } from '../support/qemu';

let server: FakeQmpServer | undefined;
let client: QmpClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function serve(options: FakeQmpOptions = {}): Promise<FakeQmpServer> {
  server = await startFakeQmpServer(options);
  return server;
}

async function connected(options: FakeQmpOptions = {}, maxMessageBytes?: number): Promise<QmpClient> {
  const fake = await serve(options);
  client = await QmpClient.connect(parseTarget(fake.target), maxMessageBytes !== undefined ? { maxMessageBytes } : {});
  return client;
}

describe('handshake failures', () => {
  it('fails a silent peer after the greeting timeout, naming a busy monitor as a likely cause', async () => {
    const fake = await serve({ greeting: false });
    const error = await QmpClient.connect(parseTarget(fake.target), { greetingTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toMatch(/no QMP greeting .* within 200 ms; another client may hold the monitor/);
  });

  it('fails when qmp_capabilities gets no answer, saying which step stalled', async () => {
    const fake = await serve({ negotiate: false });
    await expect(QmpClient.connect(parseTarget(fake.target), { greetingTimeoutMs: 100 })).rejects.toThrow(
      /did not answer qmp_capabilities within 100 ms/,
    );
  });

  it('rejects garbage instead of a greeting as a protocol error', async () => {
    const fake = await serve({ greeting: 'SSH-2.0-OpenSSH_9.2\r\n' });
    await expect(QmpClient.connect(parseTarget(fake.target))).rejects.toBeInstanceOf(QmpProtocolError);
  });

  it('rejects a JSON greeting of the wrong shape and says what was missing', async () => {
    const fake = await serve({ greeting: '{"QMP": {"version": {"qemu": "7.2"}, "capabilities": []}}\r\n' });
    await expect(QmpClient.connect(parseTarget(fake.target))).rejects.toThrow(/version.qemu/);
  });

  it('fails clearly when QEMU refuses qmp_capabilities', async () => {
    const fake = await serve({ refuseCapabilities: { class: 'GenericError', desc: "Parameter 'null' does not accept value 'oob'" } });
    const error = await QmpClient.connect(parseTarget(fake.target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/refused capability negotiation.*GenericError/);
  });

  it('reports connecting then failed to the state observer when nothing listens', async () => {
    const fake = await serve();
    await fake.close();
    const phases: string[] = [];
    await expect(QmpClient.connect(parseTarget(fake.target), { onStateChange: (s) => phases.push(s.phase) })).rejects.toThrow(/ENOENT|ECONNREFUSED/);
    expect(phases).toEqual(['connecting', 'failed']);
  });

  it('fails when the peer hangs up in the middle of the greeting', async () => {
    const fake = await serve({ greeting: false });
    const connecting = QmpClient.connect(parseTarget(fake.target));
    const connection = await fake.nextConnection();
    await connection.write(QEMU_GREETING.slice(0, 40));
    connection.socket.end();
    const error = await connecting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect((error as Error).message).toMatch(/EOF.*before sending the greeting.*half-received message \(40 bytes\)/);
  });

  it('holds events sent with the negotiation reply until the caller can subscribe', async () => {
    const fake = await serve({ greeting: false, negotiate: false });
    const connecting = QmpClient.connect(parseTarget(fake.target));
    const connection = await fake.nextConnection();
    await connection.write(QEMU_GREETING);
    const caps = await connection.nextCommand('qmp_capabilities');
    await connection.write(
      `{"return": {}, "id": ${JSON.stringify(caps.id)}}\r\n{"timestamp": {"seconds": 5, "microseconds": 6}, "event": "EARLY"}\r\n`,
    );
    client = await connecting;
    const events: QmpEvent[] = [];
    client.onEvent((e) => events.push(e));
    await connection.event('LATER');
    await connection.write(`{"return": 7, "id": "nobody"}\r\n`);
    await new Promise<void>((resolve) => client!.onUnmatchedReply(() => resolve()));
    expect(events.map((e) => e.event)).toEqual(['EARLY', 'LATER']);
    expect(events[0]!.timestamp).toEqual({ seconds: 5, microseconds: 6 });
  });

  it('keeps an event QEMU wrote before its greeting and delivers it first once ready', async () => {
    // QEMU 7.2 did this under load: RESUME at start-up reached the first client ahead of the greeting.
    const fake = await serve({ greeting: false });
    const connecting = QmpClient.connect(parseTarget(fake.target));
    const connection = await fake.nextConnection();
    await connection.write(`{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "RESUME"}\r\n${QEMU_GREETING}`);
    client = await connecting;
    const events: QmpEvent[] = [];
    client.onEvent((e) => events.push(e));
    await connection.event('LATER');
    await waitFor(() => events.length === 2, 'both events');
    expect(events.map((e) => e.event)).toEqual(['RESUME', 'LATER']);
    expect(events[0]!.timestamp).toEqual({ seconds: 1, microseconds: 2 });
  });

  it('gives up on a peer that floods events instead of greeting', async () => {
    const fake = await serve({ greeting: false });
    const connecting = QmpClient.connect(parseTarget(fake.target));
    const connection = await fake.nextConnection();
    await connection.write('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "NOISE"}\r\n'.repeat(1001));
    await expect(connecting).rejects.toThrow(/over 1000 events before finishing the QMP handshake/);
  });

  it('reads a greeting and replies delivered one byte per chunk', async () => {
    const fake = await serve({
      greeting: false,
      onCommand: (command, conn) => void trickle(conn, `{"return": {"status": "running"}, "id": ${JSON.stringify(command.id)}}\r\n`),
    });
    const connecting = QmpClient.connect(parseTarget(fake.target));
    const connection = await fake.nextConnection();
    await trickle(connection, QEMU_GREETING);
    client = await connecting;
    expect(client.greeting.version.qemu).toEqual({ major: 7, minor: 2, micro: 22 });
    await expect(client.execute('query-status')).resolves.toEqual({ status: 'running' });
  });
});

async function trickle(connection: { write(d: Buffer): Promise<void> }, text: string): Promise<void> {
  for (const byte of Buffer.from(text)) await connection.write(Buffer.of(byte));
}

describe('traffic after negotiation', () => {
  it('passes a 50 MB reply through intact', async () => {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const qmp = await connected({ onCommand: (command, conn) => void conn.reply(command, { blob: big }) });
    const result = await qmp.execute<{ blob: string }>('query-big');
    expect(result.blob.length).toBe(big.length);
  });

  it('delivers 100,000 events in order before the reply that follows them', async () => {
    const count = 100_000;
    const qmp = await connected({
      onCommand: (command, conn) => {
        const events: string[] = [];
        for (let i = 0; i < count; i++) events.push(`{"timestamp": {"seconds": 1, "microseconds": ${i % 1_000_000}}, "event": "TICK", "data": {"n": ${i}}}\r\n`);
        void conn.write(events.join('')).then(() => conn.reply(command));
      },
    });
    const seen: number[] = [];
    qmp.onEvent((event: QmpEvent) => seen.push(event.data?.['n'] as number));
    await qmp.execute('flood');
    expect(seen.length).toBe(count);
    expect(seen.every((n, i) => n === i)).toBe(true);
  });

  it('fails pending commands with the EOF reason when the peer closes mid-message', async () => {
    const qmp = await connected({
      onCommand: (command, conn) => void conn.write('{"return": {"status": "runn').then(() => conn.socket.end()),
    });
    const closed = new Promise<Error>((resolve) => qmp.onClose(resolve));
    const error = await qmp.execute('query-status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect((error as Error).message).toBe(
      'connection closed by QEMU (EOF) while waiting for the reply to query-status; a half-received message (27 bytes) was dropped',
    );
    expect((await closed).message).toMatch(/EOF/);
    expect(qmp.state.phase).toBe('closed');
    await expect(qmp.execute('query-status')).rejects.toThrow(/not connected \(connection closed by QEMU \(EOF\)/);
  });

  it('never throws from execute on a connection the peer just dropped', async () => {
    const qmp = await connected();
    server!.connections[0]!.socket.destroy();
    const outcomes: Promise<unknown>[] = [];
    await waitFor(() => {
      outcomes.push(qmp.execute('query-status').catch((e: unknown) => e));
      return qmp.state.phase !== 'ready';
    }, 'the drop to be noticed');
    const errors = await Promise.all(outcomes);
    expect(errors.every((e) => e instanceof QmpError)).toBe(true);
    expect(String(errors[0])).toMatch(/EOF|ECONNRESET|EPIPE/);
  });

  it('closes on garbage after negotiation and fails the pending command as a protocol error', async () => {
    const qmp = await connected({ onCommand: (_command, conn) => void conn.write('this is not json\r\n') });
    const error = await qmp.execute('query-status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/protocol error.*while waiting for the reply to query-status/);
    expect(qmp.state.phase).toBe('failed');
  });

  it('refuses absurdly deep nesting without overflowing the stack', async () => {
    const depth = 200_000;
    const qmp = await connected({
      onCommand: (command, conn) => void conn.write(`{"return": ${'['.repeat(depth)}${']'.repeat(depth)}, "id": ${JSON.stringify(command.id)}}\r\n`),
    });
    const error = await qmp.execute('query-status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/deep|nest/i);
  });

  it('treats invalid UTF-8 as a protocol error', async () => {
    const qmp = await connected({
      onCommand: (command, conn) =>
        void conn.write(Buffer.concat([Buffer.from('{"return": "'), Buffer.of(0xff, 0xfe), Buffer.from(`", "id": ${JSON.stringify(command.id)}}\r\n`)])),
    });
    const error = await qmp.execute('query-status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/UTF-8/i);
  });

  it('closes on a message over the size limit and says it was too large', async () => {
    const qmp = await connected({ onCommand: (command, conn) => void conn.reply(command, 'y'.repeat(5000)) }, 1024);
    const error = await qmp.execute('query-status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/too large.*while waiting for the reply to query-status/);
    expect(qmp.state.phase).toBe('failed');
  });

  it('reports replies with a foreign id, or with no id while nothing waits, as unmatched and keeps going', async () => {
    const qmp = await connected({
      onCommand: (command, conn) =>
        void conn
          .send({ return: {}, id: 'someone-else-1' })
          .then(() => conn.reply(command, { ok: true }))
          .then(() => conn.send({ error: { class: 'GenericError', desc: 'JSON parse error, expecting value' } })),
    });
    const unmatched: JsonObject[] = [];
    qmp.onUnmatchedReply((message) => unmatched.push(message));
    await expect(qmp.execute('query-status')).resolves.toEqual({ ok: true });
    await waitFor(() => unmatched.length === 2, 'the id-less error');
    expect(unmatched.map((m) => m['id'] ?? null)).toEqual(['someone-else-1', null]);
    expect(qmp.unmatchedReplyCount).toBe(2);
    expect(qmp.state.phase).toBe('ready');
  });

  it('fails every waiting command at once when an id-less error could belong to any of them', async () => {
    const qmp = await connected();
    const fake = server!.connections[0]!;
    const stop = qmp.execute('stop').catch((e: unknown) => e);
    const cont = qmp.execute('cont').catch((e: unknown) => e);
    await fake.nextCommand('cont');
    await fake.send({ error: { class: 'GenericError', desc: 'JSON parse error, expecting value' } });
    for (const failure of [await stop, await cont]) {
      expect(failure).toBeInstanceOf(QmpProtocolError);
      expect((failure as Error).message).toMatch(/error naming no command \(GenericError: JSON parse error, expecting value\) while 2 commands were waiting \(stop, cont\)/);
    }
    // Their real replies still come; they are late, not foreign, and the connection goes on.
    await fake.reply(fake.commands.find((c) => c.execute === 'stop')!);
    const next = qmp.execute('query-status');
    await fake.reply(await fake.nextCommand('query-status'), { running: true });
    await expect(next).resolves.toEqual({ running: true });
    expect(qmp.lateReplyCount).toBe(1);
    expect(qmp.unmatchedReplyCount).toBe(0);
  });

  it('drops the late reply of a timed-out command quietly', async () => {
    const qmp = await connected();
    const fake = server!.connections[0]!;
    await expect(qmp.execute('slow', undefined, { timeoutMs: 50 })).rejects.toThrow(/no reply to slow within 50 ms/);
    const slow = await fake.nextCommand('slow');
    const unmatched: JsonObject[] = [];
    qmp.onUnmatchedReply((m) => unmatched.push(m));
    const next = qmp.execute('fast');
    await fake.reply(slow, 'late');
    await fake.reply(await fake.nextCommand('fast'), 'fresh');
    await expect(next).resolves.toBe('fresh');
    expect(qmp.lateReplyCount).toBe(1);
    expect(unmatched).toEqual([]);
  });

  it('refuses a missing command name without writing anything', async () => {
    const qmp = await connected();
    await expect(qmp.execute('')).rejects.toThrow(/non-empty string \(got an empty string\)/);
    await expect(qmp.execute(undefined as unknown as string)).rejects.toThrow(/got undefined/);
    expect(server!.connections[0]!.commands.map((c) => c.execute)).toEqual(['qmp_capabilities']);
  });

  it('rejects QEMU errors as QmpCommandError with class and desc', async () => {
    const qmp = await connected({
      onCommand: (command, conn) => void conn.send({ id: command.id, error: { class: 'DeviceNotFound', desc: "Device 'x' not found" } }),
    });
    const error = await qmp.execute('device_del', { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpCommandError);
    expect(error).toMatchObject({ errorClass: 'DeviceNotFound', desc: "Device 'x' not found" });
  });
});
