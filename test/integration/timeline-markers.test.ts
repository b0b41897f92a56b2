/**
 * The app's own timeline markers against real QEMU: connected (with QEMU's version), every
 * command sent from the app with its outcome, disconnected with the reason when QEMU is
 * killed, and the reconnect attempts after it, all in one seq order with QEMU's own events.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent, VmSnapshot } from '../../electron/common/models';
import { createMonitorService, type MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import { killAllQemu, makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';

let service: MonitorServiceHandle | undefined;
const qemus: TestQemu[] = [];
afterEach(async () => {
  await service?.dispose();
  service = undefined;
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
});
afterAll(killAllQemu);

async function startService() {
  const svc = await createMonitorService(
    { dataDir: makeTempDir('qmp-timeline-'), host: 'web', version: 'test', journal: false },
    { qemuBinary: null, supervisor: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 }, discoveryRescanMs: 60_000 },
  );
  service = svc;
  const latest = new Map<string, VmSnapshot>();
  const pushed: TimelineEvent[] = [];
  svc.onPush((channel, payload) => {
    if (channel === 'vmChanged') latest.set((payload as VmSnapshot).config.id, payload as VmSnapshot);
    if (channel === 'events') pushed.push(...(payload as { events: TimelineEvent[] }).events);
  });
  const all = async () => (await svc.handlers.getEvents({ afterSeq: -1, limit: 1000 })).events;
  return { svc, latest, pushed, all };
}

const data = (e: TimelineEvent | undefined): Record<string, unknown> => JSON.parse(e?.dataJson ?? 'null') as Record<string, unknown>;

describe('timeline markers with real QEMU', () => {
  it('marks connected with the version, each command with its outcome next to the events it caused', async () => {
    const qemu = await startQemu({ machine: 'pc' });
    qemus.push(qemu);
    const { svc, latest, pushed, all } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');

    const [connected] = await all();
    expect(connected).toMatchObject({ seq: 0, vmId: config.id, marker: 'connected', event: 'connected' });
    expect(data(connected)).toEqual({ version: latest.get(config.id)!.qemu!.version, package: latest.get(config.id)!.qemu!.package });
    expect(data(connected).version).toMatch(/^7\.2\./);
    // The app's clock, in QMP's shape, and the same instant as receivedAt.
    expect(connected!.timestamp.seconds * 1000 + connected!.timestamp.microseconds / 1000).toBe(connected!.receivedAt);

    expect((await svc.handlers.executeCommand({ vmId: config.id, command: 'cont' })).ok).toBe(true);
    expect((await svc.handlers.executeCommand({ vmId: config.id, command: 'stop' })).ok).toBe(true);
    const failed = await svc.handlers.executeCommand({ vmId: config.id, command: 'human-monitor-command', argumentsJson: '{"command-line": 5}' });
    expect(failed).toMatchObject({ ok: false, errorClass: 'GenericError' });
    const unknown = await svc.handlers.executeCommand({ vmId: config.id, command: 'no-such-command', argumentsJson: '{"x": 18446744073709551615}' });
    expect(unknown).toMatchObject({ ok: false, errorClass: 'CommandNotFound' });

    const events = await all();
    // QEMU sends RESUME/STOP before the command's reply, so each event comes just before its command marker.
    expect(events.map((e) => `${e.marker ?? 'qemu'}:${e.event}`)).toEqual([
      'connected:connected',
      'qemu:RESUME',
      'command:cont',
      'qemu:STOP',
      'command:stop',
      'command:human-monitor-command',
      'command:no-such-command',
    ]);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(data(events[4])).toMatchObject({ command: 'stop', outcome: 'ok', origin: 'app', durationMs: expect.any(Number) });
    expect(data(events[4])).not.toHaveProperty('errorClass');
    // A command that may carry a secret is marked without its arguments.
    expect(data(events[5])).toMatchObject({ command: 'human-monitor-command', outcome: 'error', errorClass: 'GenericError', desc: expect.any(String) });
    expect(data(events[5])).not.toHaveProperty('arguments');
    expect(data(events[6])).toMatchObject({ outcome: 'error', errorClass: 'CommandNotFound' });
    // Arguments kept exactly, 64-bit integers included.
    expect(events[6]!.dataJson).toContain('"arguments":{"x":18446744073709551615}');
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.receivedAt).toBeGreaterThanOrEqual(events[i - 1]!.receivedAt);
    // The markers travel in the same events push as QEMU's events.
    await waitFor(() => pushed.length === events.length, 'every entry pushed');
    expect(pushed).toEqual(events);
  });

  it('marks a command refused because the VM is not connected', async () => {
    const { svc, all } = await startService();
    const { config } = await svc.handlers.addVm({ target: 'unix:/nonexistent/qmp.sock', autoConnect: false });
    const outcome = await svc.handlers.executeCommand({ vmId: config.id, command: 'stop' });
    expect(outcome).toMatchObject({ ok: false, errorClass: 'connection' });
    const [marker] = await all();
    expect(marker).toMatchObject({ marker: 'command', event: 'stop' });
    expect(data(marker)).toMatchObject({ command: 'stop', outcome: 'error', errorClass: 'connection' });
  });

  it('marks disconnected with the reason when QEMU is killed, then each reconnect attempt, then connected again', async () => {
    const qemu = await startQemu();
    qemus.push(qemu);
    const { svc, latest, all } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready');
    await qemu.kill('SIGKILL');
    await waitFor(async () => (await all()).filter((e) => e.marker === 'reconnect').length >= 2, 'two reconnect attempts');
    const events = await all();
    const kinds = events.map((e) => e.marker);
    expect(kinds.slice(0, 3)).toEqual(['connected', 'disconnected', 'reconnect']);
    // Exactly one disconnected marker for the one lost connection, however many retries follow.
    expect(kinds.filter((k) => k === 'disconnected')).toHaveLength(1);
    const reason = data(events[1]).reason;
    expect(reason).toEqual(expect.any(String));
    expect(reason).toMatch(/closed|reset|EOF|end/i);
    const attempt = data(events[2]);
    expect(attempt).toMatchObject({ attempt: expect.any(Number), delayMs: expect.any(Number) });
    expect(events[2]!.event).toBe('reconnecting');

    const again = await startQemu({ dir: qemu.dir });
    qemus.push(again);
    await waitFor(async () => (await all()).at(-1)?.marker === 'connected', 'connected again', 15_000);
    await svc.handlers.disconnectVm({ id: config.id });
    const last = (await all()).at(-1);
    expect(last).toMatchObject({ marker: 'disconnected' });
    expect(data(last)).toEqual({ reason: 'disconnected by the user' });
  });
});
