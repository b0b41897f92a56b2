/**
 * The QMP client against real QEMU 7.2: transports, events, errors, timeouts, OOB, crashes.
 *
 * Stalls are produced with SIGSTOP on the QEMU process (a real peer that stops answering),
 * never with sleeps; every QEMU is killed by PID after each test.
 */
import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpAbortError, QmpClosedError, QmpCommandError, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from '../../electron/core/qmp/errors';
import { QmpClient, type ClientPhase } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import type { JsonValue } from '../../electron/common/json-text';
import { freePort, startQemu, waitFor, type QemuOptions, type TestQemu } from '../support/qemu';

const qemus: TestQemu[] = [];
const clients: QmpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const q of qemus.splice(0)) {
    try {
      process.kill(q.pid, 'SIGCONT');
    } catch {
      /* already gone */
    }
    await q.kill();
  }
});

async function qemu(options: QemuOptions = {}): Promise<TestQemu> {
  const q = await startQemu(options);
  qemus.push(q);
  return q;
}

/**
 * Connects, retrying while QEMU has bound its socket file but not yet called listen().
 *
 * startQemu returns once the file exists, which under load can be a moment before QEMU accepts.
 */
async function connect(q: TestQemu, options: Parameters<typeof QmpClient.connect>[1] = {}): Promise<QmpClient> {
  let client: QmpClient | undefined;
  await waitFor(async () => {
    try {
      client = await QmpClient.connect(parseTarget(q.target), options);
      return true;
    } catch (error) {
      if (error instanceof QmpConnectionError && error.code === 'ECONNREFUSED') return false;
      throw error;
    }
  }, 'QEMU to accept connections');
  clients.push(client!);
  return client!;
}

/** SIGSTOPs QEMU and waits until every thread is stopped, so nothing it has not answered yet gets answered. */
async function freeze(q: TestQemu): Promise<void> {
  process.kill(q.pid, 'SIGSTOP');
  await waitFor(async () => {
    const tasks = await readdir(`/proc/${q.pid}/task`);
    const states = await Promise.all(tasks.map(async (t) => (await readFile(`/proc/${q.pid}/task/${t}/stat`, 'utf8')).replace(/^.*\) /s, '')[0]));
    return states.every((state) => state === 'T');
  }, 'QEMU to stop');
}

describe('QmpClient on real QEMU', () => {
  it('negotiates over a unix socket, walking every phase, with oob enabled', async () => {
    const q = await qemu({ name: 'vm-unix' });
    const phases: ClientPhase[] = [];
    const client = await connect(q, { onStateChange: (s) => phases.push(s.phase) });
    // Attempts refused before QEMU listened show up as connecting/failed pairs first.
    expect(phases.slice(-4)).toEqual(['connecting', 'greeting', 'negotiating', 'ready']);
    expect(client.greeting.version.qemu).toMatchObject({ major: 7, minor: 2 });
    expect(client.greeting.capabilities).toContain('oob');
    expect(client.enabledCapabilities).toEqual(['oob']);
    await expect(client.execute('query-name')).resolves.toEqual({ name: 'vm-unix' });
  });

  it('works over TCP', async () => {
    const q = await qemu({ transport: 'tcp' });
    const client = await connect(q);
    expect(client.target).toEqual({ kind: 'tcp', host: '127.0.0.1', port: q.port });
    await expect(client.execute('query-status')).resolves.toMatchObject({ status: 'running' });
  });

  it('works over TCP on the IPv6 loopback, written [::1]:PORT', async () => {
    const port = await freePort();
    // A second monitor on ::1 (QEMU's -qmp shorthand cannot parse an IPv6 host).
    const q = await qemu({ extraArgs: ['-chardev', `socket,id=v6,host=::1,port=${port},server=on,wait=off,ipv6=on`, '-mon', 'chardev=v6,mode=control'] });
    const target = parseTarget(`[::1]:${port}`);
    let client: QmpClient | undefined;
    // startQemu waited for the unix monitor; the TCP one may open a moment later.
    await waitFor(async () => {
      client = await QmpClient.connect(target).catch(() => undefined);
      return client !== undefined;
    }, `the IPv6 monitor of QEMU ${q.pid}`);
    clients.push(client!);
    expect(client!.target).toEqual({ kind: 'tcp', host: '::1', port });
    await expect(client!.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('works with a pretty=on monitor, including the 200 KB schema reply', async () => {
    const q = await qemu({ pretty: true });
    const client = await connect(q);
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: true });
    const schema = await client.execute<unknown[]>('query-qmp-schema');
    expect(schema.length).toBeGreaterThan(500);
  });

  it('delivers run-state events before the reply of the command that caused them', async () => {
    const q = await qemu({ machine: 'pc' });
    const client = await connect(q);
    const events: string[] = [];
    client.onEvent((e) => events.push(e.event));
    await client.execute('cont');
    expect(events).toEqual(['RESUME']);
    await client.execute('stop');
    expect(events).toEqual(['RESUME', 'STOP']);
    await expect(client.execute('query-status')).resolves.toMatchObject({ status: 'paused', running: false });
  });

  it('keeps QEMU timestamps on events', async () => {
    const q = await qemu({ machine: 'pc' });
    const client = await connect(q);
    const before = Date.now() / 1000;
    const resumed = new Promise<{ seconds: number; microseconds: number }>((resolve) => client.onEvent((e) => resolve(e.timestamp)));
    await client.execute('cont');
    const ts = await resumed;
    expect(ts.seconds).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    expect(ts.microseconds).toBeGreaterThanOrEqual(0);
    expect(ts.microseconds).toBeLessThan(1_000_000);
  });

  it('rejects an unknown command with CommandNotFound and stays usable', async () => {
    const client = await connect(await qemu());
    const error = await client.execute('no-such-command').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpCommandError);
    expect((error as QmpCommandError).errorClass).toBe('CommandNotFound');
    expect((error as QmpCommandError).desc).toMatch(/no-such-command/);
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('passes arguments, including bigint values, and gets QEMU argument errors back', async () => {
    const client = await connect(await qemu());
    await expect(client.execute('human-monitor-command', { 'command-line': 'info version' })).resolves.toMatch(/7\.2/);
    const error = await client.execute('human-monitor-command', { 'command-line': 12345678901234567890n }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorClass: 'GenericError' });
  });

  it('refuses a lone surrogate before sending, naming the argument, instead of waiting for a reply that never comes', async () => {
    const client = await connect(await qemu());
    // QEMU answers such text with an id-less "\ud800 is not a valid Unicode character" error.
    const error = await client.execute('human-monitor-command', { 'command-line': 'info \ud800' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/arguments\["command-line"\] holds a lone UTF-16 surrogate/);
    // A paired surrogate is fine: HMP echoes it back in its complaint.
    await expect(client.execute('human-monitor-command', { 'command-line': '😀' })).resolves.toBe("unknown command: '😀'\r\n");
    expect(client.unmatchedReplyCount).toBe(0);
    expect(client.state.phase).toBe('ready');
  });

  it('gives the id-less error QEMU sends for text it cannot parse to the one command in flight', async () => {
    const client = await connect(await qemu());
    // Deeper than QEMU's 1024-level limit: it answers with errors that carry no id (1 for the
    // limit, then one per token left over: the 1, 1023 closing brackets and 2 closing braces).
    let deep: JsonValue = 1;
    for (let i = 0; i < 1023; i++) deep = [deep];
    const error = await client.execute('query-status', { a: deep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpCommandError);
    expect(error).toMatchObject({ errorClass: 'GenericError', desc: 'JSON nesting depth limit exceeded' });
    await waitFor(() => client.unmatchedReplyCount === 1026, 'the leftover id-less errors');
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('times out a command QEMU does not answer, then drops its late reply', async () => {
    const q = await qemu();
    const client = await connect(q);
    await freeze(q);
    const error = await client.execute('query-status', undefined, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toBe('no reply to query-status within 100 ms');
    process.kill(q.pid, 'SIGCONT');
    await expect(client.execute('query-name')).resolves.toEqual({});
    expect(client.lateReplyCount).toBe(1);
    expect(client.unmatchedReplyCount).toBe(0);
  });

  it('aborts a pending command through its AbortSignal', async () => {
    const q = await qemu();
    const client = await connect(q);
    await freeze(q);
    const controller = new AbortController();
    const pending = client.execute('query-status', undefined, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(QmpAbortError);
    await expect(client.execute('query-status', undefined, { signal: controller.signal })).rejects.toThrow(/before it was sent/);
    process.kill(q.pid, 'SIGCONT');
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('queues writes behind a full socket and completes them once QEMU reads again', async () => {
    const q = await qemu();
    const client = await connect(q);
    await freeze(q);
    // More than the kernel will buffer for a stopped reader, so socket.write must report
    // backpressure; QEMU lexes input slowly, so stay just above that.
    const socketBuffer = Number(await readFile('/proc/sys/net/core/wmem_default', 'utf8'));
    const pad = 'x'.repeat(10_000);
    const count = Math.ceil((socketBuffer * 1.5) / pad.length);
    const all = Array.from({ length: count }, () => client.execute('query-status', { pad }).catch((e: unknown) => e));
    await waitFor(() => client.pendingCount === count, 'commands queued');
    process.kill(q.pid, 'SIGCONT');
    const results = await Promise.all(all);
    expect(results.every((r) => r instanceof QmpCommandError && r.desc === "Parameter 'pad' is unexpected")).toBe(true);
    expect(client.state.phase).toBe('ready');
    await expect(client.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('runs query-yank out of band when oob is negotiated, and refuses oob otherwise', async () => {
    const q = await qemu();
    const client = await connect(q);
    await expect(client.execute('query-yank', undefined, { oob: true })).resolves.toEqual(expect.any(Array));
    await client.close();
    const plain = await connect(q, { enableOob: false });
    expect(plain.enabledCapabilities).toEqual([]);
    await expect(plain.execute('query-yank', undefined, { oob: true })).rejects.toBeInstanceOf(QmpProtocolError);
    await expect(plain.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('fails pending commands with a reason when QEMU is killed mid-session', async () => {
    const q = await qemu();
    const client = await connect(q);
    const closed = new Promise<Error>((resolve) => client.onClose(resolve));
    await freeze(q);
    const pending = client.execute('query-status').catch((e: unknown) => e);
    // Let the command reach the socket first, so the kill hits a command in flight.
    await new Promise((resolve) => setImmediate(resolve));
    await q.kill('SIGKILL');
    const error = await pending;
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect((error as Error).message).toMatch(/(closed by QEMU \(EOF\)|reset by the peer|EPIPE).* while waiting for the reply to query-status/);
    expect((await closed).message).toBe(client.state.reason);
    expect(client.state.phase).toBe('closed');
  });

  it('rejects pending commands with QmpClosedError when we close', async () => {
    const q = await qemu();
    const client = await connect(q);
    await freeze(q);
    const pending = client.execute('query-status').catch((e: unknown) => e);
    await client.close();
    expect(await pending).toBeInstanceOf(QmpClosedError);
    await expect(client.execute('query-status')).rejects.toBeInstanceOf(QmpClosedError);
  });

  it('explains a greeting timeout on a monitor another client holds', async () => {
    const q = await qemu();
    const first = await connect(q);
    const error = await QmpClient.connect(parseTarget(q.target), { greetingTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as Error).message).toMatch(/another client may hold the monitor/);
    await expect(first.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('names the socket and the cause when nothing listens', async () => {
    const q = await qemu();
    await q.kill();
    const error = await QmpClient.connect(parseTarget(q.target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpConnectionError);
    expect((error as Error).message).toContain(q.socketPath);
    expect((error as QmpConnectionError).code).toMatch(/ECONNREFUSED|ENOENT/);
  });
});
