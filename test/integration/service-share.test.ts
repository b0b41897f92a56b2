/**
 * "Share this monitor" through the real MonitorService against real QEMU: the app holds the
 * monitor, a raw socket client uses the VM's shared endpoint at the same time, its `stop`
 * turns the app's snapshot paused, the timeline gets a marker naming the client, the
 * snapshot lists it, and turning sharing off (saved with the connection) closes the endpoint.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent, VmSnapshot } from '../../electron/common/models';
import type { MonitorServiceTuning } from '../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../support/qemu';
import { TEST_TUNING, useServiceFixture } from '../support/service';
import { buildCli, spawnCli } from '../support/cli';

const fixture = useServiceFixture();
beforeAll(buildCli, 120_000);
const DEADLINE_MS = 30_000;

/** A QMP client written by hand on a bare socket: lines in, lines out, nothing of ours. */
function rawClient(path: string) {
  const socket: Socket = connect(path);
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return {
    lines,
    get closed() {
      return closed;
    },
    send: (message: object) => socket.write(`${JSON.stringify(message)}\n`),
    reply: async (id: unknown) => {
      await waitFor(() => lines.some((line) => JSON.stringify(line['id']) === JSON.stringify(id)), `the reply with id ${JSON.stringify(id)}`, DEADLINE_MS);
      return lines.find((line) => JSON.stringify(line['id']) === JSON.stringify(id))!;
    },
    close: () => socket.destroy(),
  };
}

async function sharedVm(tuning: Partial<MonitorServiceTuning> = {}) {
  const qemu = await fixture.qemu({ machine: 'pc' });
  const runtimeFolder = join(makeTempDir('qmp-share-'), 'qmp-monitor');
  const started = await fixture.startService({ journal: false }, { ...TEST_TUNING, runtimeFolder, ...tuning });
  const { config } = await started.svc.handlers.addVm({ target: qemu.target, autoConnect: true });
  const snapshot = (): VmSnapshot | undefined => started.latest.get(config.id);
  await waitFor(() => snapshot()?.runState?.status === 'prelaunch' && snapshot()?.share?.status === 'listening', 'a listening shared endpoint', DEADLINE_MS);
  const events: TimelineEvent[] = [];
  started.svc.onPush((channel, payload) => {
    if (channel === 'events') events.push(...(payload as { events: TimelineEvent[] }).events);
  });
  return { ...started, qemu, config, snapshot, events, runtimeFolder, path: snapshot()!.share!.endpoint!.unixPath! };
}

describe('sharing a monitor the app holds', () => {
  it('is on by default, and a client through the endpoint steers the VM the app shows', async () => {
    const { snapshot, events, path, runtimeFolder, config } = await sharedVm();
    expect(path.startsWith(`${runtimeFolder}/`)).toBe(true);
    expect(snapshot()!.share).toMatchObject({ enabled: true, status: 'listening', clients: [] });

    const client = rawClient(path);
    await waitFor(() => client.lines.length > 0, 'the greeting', DEADLINE_MS);
    expect(client.lines[0]).toMatchObject({ QMP: { version: { qemu: { major: 7, minor: 2 } } } });
    client.send({ execute: 'qmp_capabilities', id: 'caps' });
    expect(await client.reply('caps')).toEqual({ return: {}, id: 'caps' });
    // The peer's pid and name are looked up (ss) after it connects; the row shows them once known.
    const comm = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    await waitFor(() => snapshot()?.share?.clients[0]?.pid === process.pid, 'the client row with its pid', DEADLINE_MS);
    expect(snapshot()!.share!.clients).toEqual([expect.objectContaining({ id: expect.any(String), peer: 'unix', pid: process.pid, processName: comm })]);
    // `-S` leaves QEMU in prelaunch, where `stop` changes nothing: run it first.
    client.send({ execute: 'cont', id: 7 });
    expect(await client.reply(7)).toEqual({ return: {}, id: 7 });
    await waitFor(() => snapshot()?.runState?.status === 'running', 'the app to show running', DEADLINE_MS);
    client.send({ execute: 'stop', id: { mine: 1 } });
    expect(await client.reply({ mine: 1 })).toEqual({ return: {}, id: { mine: 1 } });

    await waitFor(() => snapshot()?.runState?.status === 'paused', 'the app to show paused', DEADLINE_MS);
    await waitFor(() => events.some((e) => e.marker === 'command' && e.event === 'stop'), 'the stop marker', DEADLINE_MS);
    const marker = events.find((e) => e.marker === 'command' && e.event === 'stop')!;
    expect(marker.vmId).toBe(config.id);
    const data = JSON.parse(marker.dataJson!) as Record<string, unknown>;
    expect(data).toMatchObject({ command: 'stop', outcome: 'ok', origin: 'shared', client: { peer: 'unix', pid: process.pid } });
    expect((data['client'] as Record<string, unknown>)['processName']).toBe(comm);

    await waitFor(() => snapshot()?.share?.clients[0]?.commands === 2, 'the client row with its commands', DEADLINE_MS);
    expect(snapshot()!.share!.clients).toEqual([expect.objectContaining({ peer: 'unix', pid: process.pid, processName: comm, commands: 2 })]);

    client.close();
    await waitFor(() => snapshot()?.share?.clients.length === 0, 'the client row to go', DEADLINE_MS);
  }, 120_000);

  it('turning sharing off disconnects its clients, closes the endpoint and is saved', async () => {
    const { svc, dataDir, path, config } = await sharedVm();
    const client = rawClient(path);
    await waitFor(() => client.lines.length > 0, 'the greeting', DEADLINE_MS);

    const off = await svc.handlers.setVmSharing({ id: config.id, enabled: false });
    expect(off.share).toEqual({ enabled: false, status: 'off', clients: [] });
    expect(off.config.share).toBe(false);
    await waitFor(() => client.closed, 'the client to be disconnected', DEADLINE_MS);
    expect(existsSync(path)).toBe(false);
    const saved = JSON.parse(readFileSync(join(dataDir, 'connections.json'), 'utf8')) as { connections: { id: string; share?: boolean }[] };
    expect(saved.connections.find((c) => c.id === config.id)?.share).toBe(false);

    const on = await svc.handlers.setVmSharing({ id: config.id, enabled: true });
    expect(on.share).toMatchObject({ enabled: true, status: 'listening', endpoint: { unixPath: path } });
    expect(on.config.share).toBe(true);
    expect(existsSync(path)).toBe(true);
  }, 120_000);

  it('keeps the endpoint across a QEMU restart: clients are dropped, then served by the new QEMU', async () => {
    const { qemu, snapshot, path } = await sharedVm();
    const before = rawClient(path);
    await waitFor(() => before.lines.length > 0, 'the greeting', DEADLINE_MS);
    await qemu.kill();
    await waitFor(() => before.closed, 'the client to be disconnected', DEADLINE_MS);
    await waitFor(() => snapshot()?.connection.phase === 'reconnecting', 'the app to reconnect', DEADLINE_MS);
    expect(snapshot()!.share).toMatchObject({ status: 'listening', endpoint: { unixPath: path } });

    // A client arriving while QEMU is away waits for the greeting, as QEMU's own queue would.
    const waiting = rawClient(path);
    await fixture.qemu({ machine: 'pc', dir: qemu.dir });
    await waitFor(() => waiting.lines.length > 0, 'the greeting from the new QEMU', DEADLINE_MS);
    waiting.send({ execute: 'qmp_capabilities' });
    waiting.send({ execute: 'query-status', id: 'after' });
    expect(await waiting.reply('after')).toMatchObject({ return: { status: 'prelaunch' }, id: 'after' });
    waiting.close();
  }, 120_000);

  it('is where `qmp-monitor exec TARGET` goes by itself while the app holds the VM, named in the timeline', async () => {
    const { qemu, events, runtimeFolder, config, logLines } = await sharedVm();
    const held = join(runtimeFolder, 'held');
    await waitFor(() => existsSync(held) && readdirSync(held).length === 1, 'the held-target entry', DEADLINE_MS);
    const cli = spawnCli(['exec', qemu.target, 'query-status', '--verbose', '--timeout', '20'], { QMP_MONITOR_RUNTIME_DIR: runtimeFolder });
    cli.child.stdin?.end();
    const result = await cli.done;
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'prelaunch', running: false });
    expect(result.stderr).toMatch(new RegExp(`is held by QMP Monitor \\(npm run web\\) \\(pid ${process.pid}\\); using its shared endpoint unix:${runtimeFolder}/`));

    await waitFor(() => events.some((e) => e.marker === 'command' && e.event === 'query-status'), 'the marker of the CLI\u2019s command', DEADLINE_MS);
    const marker = events.find((e) => e.marker === 'command' && e.event === 'query-status')!;
    expect(marker.vmId).toBe(config.id);
    // The CLI is gone within milliseconds of its reply; its process is named all the same,
    // since the endpoint greets a client only once the lookup (at accept) has ended.
    const pid = cli.child.pid!;
    const client = { peer: 'unix', pid, processName: expect.stringMatching(/^(node|qmp-monitor)/) as unknown };
    expect(JSON.parse(marker.dataJson!)).toMatchObject({ origin: 'shared', outcome: 'ok', client });

    // Its coming and going are markers too, in order, and lines in the app's log.
    await waitFor(() => events.some((e) => e.marker === 'share' && e.event === 'client-disconnected'), 'the marker of the CLI leaving', DEADLINE_MS);
    const share = events.filter((e) => e.marker === 'share' || (e.marker === 'command' && e.event === 'query-status'));
    expect(share.map((e) => e.event)).toEqual(['client-connected', 'query-status', 'client-disconnected']);
    expect(JSON.parse(share[0]!.dataJson!)).toMatchObject({ change: 'connected', client });
    expect(JSON.parse(share[2]!.dataJson!)).toMatchObject({ change: 'disconnected', client, commands: 1, reason: 'it closed the connection after 1 command(s)' });
    expect(logLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^shared monitor of .+: client c\\d+ \\(\\S+, pid ${pid}\\) connected \\(unix\\)$`)),
        expect.stringMatching(new RegExp(`^shared monitor of .+: client c\\d+ \\(\\S+, pid ${pid}\\) disconnected: it closed the connection after 1 command\\(s\\)$`)),
      ]),
    );
  }, 120_000);

  it('cuts off a client that never reads, and says why in the timeline and the log', async () => {
    // The app's bound is 16 MiB; 1 MiB here, so a loaded machine does not spend half a minute filling it.
    const { path, events, logLines } = await sharedVm({ shareClientQueueBytes: 1024 * 1024 });
    const deaf = connect(path);
    deaf.on('error', () => undefined);
    deaf.pause(); // reads nothing, ever: its replies pile up in the endpoint's queue
    deaf.write('{"execute":"qmp_capabilities"}\n');
    for (let i = 0; i < 100; i++) deaf.write(`{"execute":"query-qmp-schema","id":${i}}\n`);
    await waitFor(() => events.some((e) => e.marker === 'share' && e.event === 'client-disconnected'), 'the deaf client to be cut off', 90_000);
    const gone = JSON.parse(events.find((e) => e.event === 'client-disconnected')!.dataJson!) as Record<string, unknown>;
    expect(gone).toMatchObject({ change: 'disconnected', client: { peer: 'unix', pid: process.pid } });
    expect(gone['reason']).toMatch(/^too slow: 1(\.\d)? MiB unread \(limit 1 MiB\)$/);
    expect(logLines.some((line) => /: client c\d+ \(\S+, pid \d+\) disconnected: too slow: 1(\.\d)? MiB unread \(limit 1 MiB\)$/.test(line))).toBe(true);
    deaf.destroy();
  }, 120_000);

  it('closes the endpoint when the user disconnects the VM and opens it again on connect', async () => {
    const { svc, snapshot, path, config } = await sharedVm();
    await svc.handlers.disconnectVm({ id: config.id });
    await waitFor(() => snapshot()?.share?.status === 'waiting', 'the endpoint to close', DEADLINE_MS);
    expect(existsSync(path)).toBe(false);
    await svc.handlers.connectVm({ id: config.id });
    await waitFor(() => snapshot()?.share?.status === 'listening' && snapshot()?.connection.phase === 'ready', 'the endpoint back', DEADLINE_MS);
    expect(existsSync(path)).toBe(true);
  }, 120_000);
});
