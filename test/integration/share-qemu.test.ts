/**
 * The shared endpoint against real QEMU: many clients at once, each with its own ids and
 * replies, events to all, a client that leaves mid-command, and QEMU going away and coming back.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QmpSupervisor } from '../../electron/core/qmp/supervisor';
import { parseTarget } from '../../electron/core/qmp/target';
import { SharedMonitor } from '../../electron/core/share/shared-monitor';
import { killAllQemu, makeTempDir, startQemu, waitFor } from '../support/qemu';
import { rawClient, shareTarget, type RawClient, type SharedSetup } from '../support/share-support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(killAllQemu);

async function negotiated(where: string, oob = false): Promise<RawClient> {
  const client = await rawClient(where);
  cleanups.push(() => client.close());
  await client.waitForCount(1, 'the greeting');
  client.send(oob ? '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":"neg"}\n' : '{"execute":"qmp_capabilities"}\n');
  await client.waitForCount(2, 'the negotiation reply');
  return client;
}

async function shared(options: { machine?: 'none' | 'pc' } = {}): Promise<{ setup: SharedSetup; endpoint: string; qemuPid: number }> {
  const qemu = await startQemu(options);
  cleanups.push(() => qemu.kill());
  const dir = makeTempDir('qmp-share-');
  const setup = await shareTarget(qemu.target, join(dir, 'share.sock'));
  cleanups.push(() => setup.stop());
  return { setup, endpoint: `unix:${join(dir, 'share.sock')}`, qemuPid: qemu.pid };
}

describe('shared endpoint with real QEMU', () => {
  it("gives each client QEMU's greeting and only its own replies, with its own ids", async () => {
    const { setup, endpoint } = await shared();
    const a = await negotiated(endpoint);
    const b = await negotiated(endpoint, true);
    const greeting = a.messages[0]!;
    expect(greeting).toEqual({ QMP: { version: setup.upstream.greeting.version, capabilities: ['oob'] } });
    expect(a.text().split('\r\n')[0]).toMatch(/^\{"QMP": \{"version": \{"qemu": \{"micro": \d+, "minor": \d+, "major": \d+\}, "package": "[^"]*"\}, "capabilities": \["oob"\]\}\}$/);
    // Both use the same ids at once, and the app runs its own commands meanwhile.
    const ids = ['"x"', '1', '{"k": [1, "two"]}', '12345678901234567890', 'null'];
    for (const id of ids) {
      a.send(`{"execute":"query-status","id":${id}}`);
      b.send(`{"execute":"query-name","id":${id}}\n`);
    }
    a.send('{"execute":"query-name"}\n');
    b.send('{"execute":"query-version"}\n');
    const app = await Promise.all([setup.upstream.execute('query-status'), setup.upstream.execute('query-name')]);
    expect(app[0]).toMatchObject({ status: 'running' });
    await a.waitForCount(2 + ids.length + 1);
    await b.waitForCount(2 + ids.length + 1);
    const replyLines = (c: RawClient): string[] => c.text().split('\r\n').slice(2, 2 + ids.length + 1);
    expect(replyLines(a)).toEqual([
      ...ids.map((id) => `{"return": {"status": "running", "singlestep": false, "running": true}, "id": ${id}}`),
      '{"return": {}}',
    ]);
    expect(replyLines(b).slice(0, ids.length)).toEqual(ids.map((id) => `{"return": {}, "id": ${id}}`));
    expect(b.messages.at(-1)).toMatchObject({ return: { qemu: setup.upstream.greeting.version.qemu } });
    expect(b.messages.at(-1)).not.toHaveProperty('id');
    expect(setup.upstream.unmatchedReplyCount).toBe(0);
    expect(setup.monitor.clients().map((c) => c.commands)).toEqual([ids.length + 1, ids.length + 1]);
  });

  it('fans every event out to every negotiated client, and `stop` from one is a STOP for all', async () => {
    const { setup, endpoint } = await shared();
    const a = await negotiated(endpoint);
    const b = await negotiated(endpoint);
    const early = await rawClient(endpoint); // greeted, never negotiates: gets no events
    cleanups.push(() => early.close());
    await early.waitForCount(1, 'its greeting'); // sent once its process was looked up
    const appEvents: string[] = [];
    setup.upstream.onEvent((e) => appEvents.push(e.event));
    const notes: string[] = [];
    setup.monitor.onCommand((note) => notes.push(`${note.client.id}:${note.command}:${note.ok}`));
    a.send('{"execute":"stop","id":"a-stop"}\n');
    const stopA = await a.waitFor((m) => m['event'] === 'STOP', 'STOP at a');
    const stopB = await b.waitFor((m) => m['event'] === 'STOP', 'STOP at b');
    expect(stopB).toEqual(stopA); // timestamps as QEMU sent them
    await a.waitFor((m) => m['id'] === 'a-stop', 'the reply to stop');
    // QEMU writes the event before the reply; so does the multiplexer.
    expect(a.messages.findIndex((m) => m['event'] === 'STOP')).toBeLessThan(a.messages.findIndex((m) => m['id'] === 'a-stop'));
    expect(b.messages.some((m) => 'return' in m && m['id'] === 'a-stop')).toBe(false);
    b.send('{"execute":"cont"}\n');
    await a.waitFor((m) => m['event'] === 'RESUME', 'RESUME at a');
    await waitFor(() => appEvents.includes('RESUME'), 'RESUME at the app');
    expect(appEvents).toEqual(['STOP', 'RESUME']);
    expect(early.messages).toHaveLength(1);
    a.send('{"execute":"nope","id":1}\n');
    await a.waitFor((m) => m['id'] === 1, 'the error');
    // A note waits for its client's peer lookup (`ss -xpn`, bounded at 5 s), which under the
    // whole suite's load can end after the client was greeted (the greeting waits less) and
    // after all three commands: each client's notes then come at once, in its own order.
    await waitFor(() => notes.length === 3, 'a note of every command', 25_000);
    expect(notes.filter((note) => note.startsWith('c1:'))).toEqual(['c1:stop:true', 'c1:nope:false']);
    expect(notes.filter((note) => note.startsWith('c2:'))).toEqual(['c2:cont:true']);
  });

  it('drops the late reply of a client that left mid-command; nothing else notices', async () => {
    const { setup, endpoint } = await shared({ machine: 'pc' });
    const stays = await negotiated(endpoint);
    const leaves = await negotiated(endpoint);
    // A slow command (QEMU builds ~200 KB) in flight when the client vanishes.
    leaves.send('{"execute":"query-qmp-schema","id":"gone"}\n{"execute":"query-qmp-schema","id":"gone-2"}\n');
    leaves.close();
    await leaves.closed;
    stays.send('{"execute":"query-status","id":"still"}\n');
    const reply = await stays.waitFor((m) => m['id'] === 'still', 'the reply of the client that stayed');
    expect(reply).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false }, id: 'still' });
    await waitFor(() => setup.upstream.forwardedCount === 0, 'the dropped replies to arrive');
    expect(setup.upstream.unmatchedReplyCount).toBe(0);
    await waitFor(() => setup.monitor.clients().length === 1, 'the client list to shrink');
    expect(await setup.upstream.execute('query-status')).toMatchObject({ status: 'prelaunch' });
  });

  it('disconnects clients when QEMU dies and accepts again once it is back on the same socket', async () => {
    const dir = makeTempDir('qmp-share-restart-');
    let qemu = await startQemu({ dir });
    cleanups.push(() => qemu.kill());
    const log: string[] = [];
    const monitor = new SharedMonitor({ unixPath: join(dir, 'share.sock'), log: (line) => log.push(line) });
    await monitor.listen();
    const supervisor = new QmpSupervisor(parseTarget(qemu.target), { initialDelayMs: 50, maxDelayMs: 200 });
    supervisor.onReady((client) => monitor.attach(client));
    cleanups.push(async () => {
      await supervisor.stop();
      await monitor.close();
    });
    supervisor.start();
    const endpoint = `unix:${join(dir, 'share.sock')}`;
    await waitFor(() => supervisor.state.phase === 'ready', 'the first connection');
    const before = await negotiated(endpoint);
    await qemu.kill();
    await before.closed;
    expect(log.some((line) => /upstream gone/.test(line))).toBe(true);
    // While QEMU is away a client waits for its greeting, as QEMU's own queued client does.
    const waiting = await rawClient(endpoint);
    cleanups.push(() => waiting.close());
    waiting.send('{"execute":"qmp_capabilities"}\n{"execute":"query-status","id":"after"}\n');
    qemu = await startQemu({ dir });
    const reply = await waiting.waitFor((m) => m['id'] === 'after', 'a reply after the restart', 30_000);
    expect(reply).toMatchObject({ return: { status: 'running' } });
    expect(waiting.messages[0]).toHaveProperty('QMP');
    const after = await negotiated(endpoint);
    after.send('{"execute":"query-status","id":2}\n');
    await after.waitFor((m) => m['id'] === 2, 'a new client after the restart');
  });

  it("serves its own user's TCP clients and refuses other users' (loopback is open to all of them)", async () => {
    const { setup } = await shared();
    const log: string[] = [];
    const tcp = new SharedMonitor({ tcp: { host: '127.0.0.1', port: 0 }, log: (line) => log.push(line) });
    await tcp.listen();
    cleanups.push(() => tcp.close());
    tcp.attach(setup.upstream);
    const mine = await negotiated(`tcp:${tcp.endpoint.tcp!}`);
    mine.send('{"execute":"query-status","id":"tcp"}\n');
    expect(await mine.waitFor((m) => m['id'] === 'tcp', 'the TCP reply')).toMatchObject({ return: { status: 'running' } });
    if (process.getuid?.() !== 0) return; // only root can start a client as another user here
    const port = tcp.endpoint.tcp!.split(':')[1]!;
    const other = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/python3', '-c', `import socket; s = socket.create_connection(("127.0.0.1", ${port})); print(repr(s.recv(4096)))`], { stdio: 'pipe' });
    let out = '';
    other.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => other.once('close', resolve));
    expect(out.trim()).toBe("b''"); // closed without a greeting
    // The reason is logged when the server's socket has closed, which may come after the client saw it close.
    await waitFor(() => log.some((line) => /belongs to another user \(uid 65534\)/.test(line)), 'the refusal in the log');
  });

  it('answers commands still waiting when QEMU goes away with an error, before disconnecting', async () => {
    const { setup, endpoint } = await shared();
    const client = await negotiated(endpoint);
    // QEMU takes a while over query-qmp-schema; closing the upstream in between ends the wait.
    client.send('{"execute":"query-qmp-schema","id":"big"}\n');
    await waitFor(() => setup.upstream.forwardedCount === 1, 'the command to be relayed');
    await setup.upstream.close();
    await client.closed;
    const last = client.messages.at(-1)!;
    expect(last['id']).toBe('big');
    expect(last['error']).toMatchObject({ class: 'GenericError' });
    expect(String((last['error'] as { desc: string }).desc)).toMatch(/^QMP Monitor: no reply from QEMU to query-qmp-schema: /);
  });
});
