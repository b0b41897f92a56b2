/**
 * The MonitorService against real QEMU: snapshot, details, run state from events, the command
 * path, the event log, and reconnect after QEMU is killed and restarted on the same socket.
 */
import { describe, expect, it } from 'vitest';
import type { RequestParams, RequestResult } from '../../electron/common/contract';
import type { TimelineEvent } from '../../electron/common/models';
import { createMonitorService, type MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import { DEFAULT_EVENT_FLOW } from '../../electron/core/service/event-flow';
import { makeTempDir, waitFor } from '../support/qemu';
import { useServiceFixture } from '../support/service';

const { startService, qemu: startTrackedQemu, stopService } = useServiceFixture();

function exec(svc: MonitorServiceHandle, params: RequestParams<'executeCommand'>): Promise<RequestResult<'executeCommand'>> {
  return svc.handlers.executeCommand({ ...params });
}

describe('MonitorService with real QEMU', () => {
  it('reads a paused PC: version, name, prelaunch, details, with unavailable vs ok', async () => {
    const qemu = await startTrackedQemu({ machine: 'pc', name: 'svc-pc', extraArgs: ['-drive', 'if=none,id=d0,driver=null-co'] });
    const { svc, latest } = await startService();
    // A bare path, as a user would paste it.
    const added = await svc.handlers.addVm({ target: qemu.socketPath!, label: 'pc', autoConnect: true });
    const id = added.config.id;
    await waitFor(() => {
      const s = latest.get(id);
      return s?.connection.phase === 'ready' && s.runState !== undefined && Object.keys(s.details).length === 6 && s.name !== undefined;
    }, 'a complete ready snapshot');
    const snap = latest.get(id)!;
    expect(snap.qemu).toMatchObject({ version: '7.2.22', capabilities: ['oob'] });
    expect(snap.name).toBe('svc-pc');
    expect(snap.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(snap.runState).toMatchObject({ status: 'prelaunch', running: false, source: 'query-status' });
    expect(snap.details.block?.status).toBe('ok');
    const block = JSON.parse((snap.details.block as { json: string }).json) as { device: string }[];
    expect(block.map((b) => b.device)).toEqual(['d0']);
    const kvm = JSON.parse((snap.details.kvm as { json: string }).json) as { enabled: boolean };
    expect(kvm.enabled).toBe(false);
    expect(snap.details.cpus?.status).toBe('ok');
    expect(snap.details.memory?.status).toBe('ok');
    expect(snap.details.migration?.status).toBe('ok');
    // listVms agrees with the pushed snapshot.
    expect((await svc.handlers.listVms({}))[0]).toEqual(snap);
  });

  it('changes the run state only when QEMU reports it, and logs events with seq, timestamp and receivedAt', async () => {
    const qemu = await startTrackedQemu({ machine: 'pc' });
    const { svc, latest, pushes } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');

    const cont = await exec(svc, { vmId: config.id, command: 'cont' });
    expect(cont).toMatchObject({ ok: true, returnJson: '{}' });
    expect(cont.durationMs).toBeGreaterThanOrEqual(0);
    await waitFor(() => latest.get(config.id)?.runState?.status === 'running', 'running');
    expect(latest.get(config.id)!.runState!.source).toBe('event:RESUME');

    await exec(svc, { vmId: config.id, command: 'stop' });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'paused', 'paused');
    expect(latest.get(config.id)!.runState).toMatchObject({ running: false, source: 'query-status (after STOP event)' });

    // A command QEMU refuses changes nothing and comes back as QMP's class/desc.
    const bad = await exec(svc, { vmId: config.id, command: 'query-events' });
    expect(bad).toMatchObject({ ok: false, errorClass: 'CommandNotFound', desc: expect.stringMatching(/query-events/) });
    const badArgs = await exec(svc, { vmId: config.id, command: 'human-monitor-command', argumentsJson: '{"command-line": 5}' });
    expect(badArgs).toMatchObject({ ok: false, errorClass: 'GenericError' });
    expect(latest.get(config.id)!.runState!.status).toBe('paused');

    const page = await svc.handlers.getEvents({ afterSeq: -1, limit: 100 });
    // QEMU's own events; the app's markers (connected, each command) are interleaved (see timeline-markers).
    const events = page.events.filter((e) => e.marker === undefined);
    expect(events.map((e) => e.event)).toEqual(['RESUME', 'STOP']);
    expect(page.events.map((e) => e.seq)).toEqual(page.events.map((_, i) => i));
    expect(page.lastSeq).toBe(page.events.length - 1);
    for (const e of events) {
      expect(e.vmId).toBe(config.id);
      expect(e.timestamp.seconds).toBeGreaterThan(1_600_000_000);
      expect(e.receivedAt).toBeGreaterThan(1_600_000_000_000);
    }
    const afterResume = (await svc.handlers.getEvents({ afterSeq: events[0]!.seq, limit: 10 })).events;
    expect(afterResume.filter((e) => e.marker === undefined).map((e) => e.event)).toEqual(['STOP']);
    // The same events were pushed, batched.
    await waitFor(() => pushes.filter((p) => p.channel === 'events').flatMap((p) => (p.payload as { events: TimelineEvent[] }).events).length === page.events.length, 'events push');
  });

  it('re-reads query-status after RESET (ambiguous) and keeps the run state', async () => {
    const qemu = await startTrackedQemu({ machine: 'pc' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');
    const before = latest.get(config.id)!.runState!.updatedAt;
    await exec(svc, { vmId: config.id, command: 'system_reset' });
    await waitFor(() => (latest.get(config.id)?.runState?.updatedAt ?? 0) > before, 'status re-read after RESET');
    expect(latest.get(config.id)!.runState).toMatchObject({ status: 'prelaunch', source: 'query-status (after RESET event)' });
    const events = (await svc.handlers.getEvents({ afterSeq: -1, limit: 10 })).events.filter((e) => e.marker === undefined);
    expect(events[0]).toMatchObject({ event: 'RESET', dataJson: expect.stringContaining('host-qmp-system-reset') });
  });

  it('goes reconnecting with a reason when QEMU dies, and is ready again after a restart on the same socket', async () => {
    const qemu = await startTrackedQemu({ machine: 'pc' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');
    await exec(svc, { vmId: config.id, command: 'cont' });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'running', 'running');

    await qemu.kill();
    await waitFor(() => latest.get(config.id)?.connection.phase === 'reconnecting' && latest.get(config.id)?.connection.nextRetryAt !== undefined, 'reconnecting');
    const lost = latest.get(config.id)!;
    expect(lost.connection.reason).toBeTruthy();
    expect(lost.connection.nextRetryAt).toBeGreaterThan(Date.now() - 5_000);
    expect(lost.runState).toBeUndefined();
    const offline = await exec(svc, { vmId: config.id, command: 'query-status' });
    expect(offline).toMatchObject({ ok: false, errorClass: 'connection', desc: expect.stringMatching(/not connected/) });

    await startTrackedQemu({ machine: 'pc', dir: qemu.dir });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready' && latest.get(config.id)?.runState !== undefined, 'ready again', 15_000);
    // The new QEMU starts paused (-S): the state must come from reading it, not from memory.
    expect(latest.get(config.id)!.runState).toMatchObject({ status: 'prelaunch', source: 'query-status' });
  });

  it('disconnect stops supervising; connect resumes; remove closes the socket', async () => {
    const qemu = await startTrackedQemu();
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready');
    const stopped = await svc.handlers.disconnectVm({ id: config.id });
    expect(stopped.connection).toMatchObject({ phase: 'stopped', reason: 'disconnected by the user' });
    await svc.handlers.connectVm({ id: config.id });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready again');
    expect(await svc.handlers.removeVm({ id: config.id })).toEqual({ removed: true });
    // QEMU serves one client at a time: a new client only gets a greeting once we let go.
    const { svc: other } = await (async () => {
      const s = await createMonitorService({ dataDir: makeTempDir('qmp-svc-int-'), host: 'web', version: 't' }, { qemuBinary: null, discoveryRescanMs: 60_000 });
      return { svc: s };
    })();
    try {
      const seen = await other.handlers.addVm({ target: qemu.target, autoConnect: true });
      await waitFor(async () => (await other.handlers.listVms({}))[0]?.connection.phase === 'ready', 'second service ready');
      expect(seen.config.target).toBe(qemu.target);
    } finally {
      await other.dispose();
    }
  });

  it('connects --connect targets at start without saving them', async () => {
    const qemu = await startTrackedQemu({ transport: 'tcp' });
    const dataDir = makeTempDir('qmp-svc-int-');
    const { svc } = await startService({ dataDir, host: 'electron', version: 't', connect: [qemu.target, 'bogus'] }, { qemuBinary: null, discoveryRescanMs: 60_000 });
    await waitFor(async () => (await svc.handlers.listVms({}))[0]?.connection.phase === 'ready', 'cli VM ready');
    const [vm] = await svc.handlers.listVms({});
    expect(vm).toMatchObject({ origin: 'cli', config: { target: qemu.target } });
    const info = await svc.handlers.getAppInfo({});
    expect(info.notices.join('\n')).toMatch(/--connect bogus was ignored/);
    await stopService(svc);
    const { svc: fresh } = await startService({ dataDir, host: 'electron', version: 't' }, { qemuBinary: null, discoveryRescanMs: 60_000 });
    expect(await fresh.handlers.listVms({})).toEqual([]);
  });

  it('keeps QEMU\'s SHUTDOWN (with its reason) when quit closes the socket', async () => {
    const qemu = await startTrackedQemu({ machine: 'pc' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');
    expect((await exec(svc, { vmId: config.id, command: 'quit' })).ok).toBe(true);
    await waitFor(() => latest.get(config.id)?.connection.phase === 'reconnecting', 'reconnecting after quit');
    expect(latest.get(config.id)!.runState).toMatchObject({ status: 'shutdown', running: false, source: 'event:SHUTDOWN (host-qmp-quit)' });
  });

  it('an edited target reconnects to the new QEMU and re-reads it', async () => {
    const a = await startTrackedQemu({ name: 'first' });
    const b = await startTrackedQemu({ name: 'second' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: a.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.name === 'first', 'first name');
    const updated = await svc.handlers.updateVm({ id: config.id, target: b.socketPath! });
    expect(updated.config.target).toBe(b.target);
    await waitFor(() => latest.get(config.id)?.name === 'second' && latest.get(config.id)?.connection.phase === 'ready', 'second name');
  });

  it('coalesces a flood of events: one events push per window, not one per event', async () => {
    const qemu = await startTrackedQemu();
    const { svc, latest, pushes } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.runState?.status === 'running', 'running');
    const pairs = 1000;
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: pairs }, (_, i) => i).flatMap(() => [exec(svc, { vmId: config.id, command: 'stop' }), exec(svc, { vmId: config.id, command: 'cont' })]),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const eventPushes = () => pushes.filter((p) => p.channel === 'events');
    const pushed = () => eventPushes().flatMap((p) => (p.payload as { events: TimelineEvent[] }).events);
    // Each command's marker too: connected, then 2000 QEMU events and 2000 command markers.
    await waitFor(() => pushed().length === 1 + pairs * 4, 'all events pushed');
    const elapsed = Date.now() - started;
    expect(pushed().filter((e) => e.marker === undefined)).toHaveLength(pairs * 2);
    expect(pushed().filter((e) => e.marker === 'command')).toHaveLength(pairs * 2);
    const seqs = pushed().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 1 + pairs * 4 }, (_, i) => i));
    // One push per window (plus the windows at both ends), whatever the event rate, and one
    // more per push's worth of events when a window holds more than a push carries.
    const { windowMs, maxEventsPerPush } = DEFAULT_EVENT_FLOW;
    expect(eventPushes().length).toBeLessThanOrEqual(Math.ceil(elapsed / windowMs) + 2 + Math.ceil((1 + pairs * 4) / maxEventsPerPush));
    const vmPushes = pushes.filter((p) => p.channel === 'vmChanged').length;
    expect(vmPushes).toBeLessThanOrEqual(Math.ceil(elapsed / 30) + 10);
    console.log(`flood: ${pairs * 2} events in ${elapsed} ms -> ${eventPushes().length} events pushes, ${vmPushes} vmChanged pushes`);
    await waitFor(() => latest.get(config.id)?.runState?.status === 'running', 'final state running');
  });
});
