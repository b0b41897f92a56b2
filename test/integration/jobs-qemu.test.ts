/**
 * Jobs and migration against real QEMU 7.2 (-M pc -S), through the service as the app uses it.
 *
 * A drive-mirror of a qcow2 disk full of data runs under a speed limit so its progress can be
 * seen, is paused and resumed, reaches `ready` and is completed with the Complete action
 * (job-complete through executeCommand, so it is a timeline marker); QEMU then forgets the
 * job, and the app keeps its row with the outcome until it is dismissed. A migration between
 * two local QEMUs over a Unix socket, held back by max-bandwidth, shows its progress and a
 * history for the chart, and ends `completed`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobRow, MigrationView } from '../../electron/common/jobs-models';
import { jobActionAvailability } from '../../electron/common/job-verbs';
import type { TimelineEvent } from '../../electron/common/models';
import { makeTempDir, waitFor } from '../support/qemu';
import { useServiceFixture, type TestService } from '../support/service';

const fixture = useServiceFixture();
/** QEMU under TCG shares two busy cores: conditions get long deadlines. */
const DEADLINE_MS = 60_000;
const MiB = 1024 * 1024;

/** A qcow2 image of `mib` MiB, written full of data (so a mirror has bytes to copy). */
function dataImage(dir: string, name: string, mib: number): string {
  const path = join(dir, name);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path, `${mib}M`]);
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -q -P 0x5a 0 ${mib}M`, path]);
  return path;
}

async function connected(t: TestService, target: string): Promise<string> {
  const vm = await t.svc.handlers.addVm({ target, autoConnect: true });
  const id = vm.config.id;
  await waitFor(() => t.latest.get(id)?.connection.phase === 'ready', 'the VM to be ready', DEADLINE_MS);
  return id;
}

function jobOf(t: TestService, vmId: string, jobId: string): JobRow | undefined {
  return t.latest.get(vmId)?.jobs?.jobs.find((job) => job.id === jobId);
}

async function run(t: TestService, vmId: string, command: string, args: object): Promise<void> {
  const outcome = await t.svc.handlers.executeCommand({ vmId, command, argumentsJson: JSON.stringify(args), timeoutMs: 30_000 });
  expect(outcome, `${command} ${JSON.stringify(args)}`).toMatchObject({ ok: true });
}

async function commandMarkers(t: TestService): Promise<string[]> {
  const { events } = await t.svc.handlers.getEvents({ afterSeq: -1, limit: 100_000 });
  return events.filter((e: TimelineEvent) => e.marker === 'command').map((e) => e.event);
}

describe('jobs from a real drive-mirror', () => {
  it('shows progress, pauses and resumes, completes with the Complete action and keeps the ended row until dismissed', async () => {
    const dir = makeTempDir('qmp-jobs-');
    const source = dataImage(dir, 'src.qcow2', 16);
    const qemu = await fixture.qemu({
      machine: 'pc',
      dir,
      extraArgs: ['-blockdev', `driver=qcow2,node-name=disk0,file.driver=file,file.filename=${source}`, '-device', 'ide-hd,drive=disk0,bus=ide.0'],
    });
    const t = await fixture.startService();
    const vmId = await connected(t, qemu.target);
    await waitFor(() => t.latest.get(vmId)?.jobs !== undefined, 'the first job read', DEADLINE_MS);
    expect(t.latest.get(vmId)?.jobs?.jobs).toEqual([]);

    await run(t, vmId, 'drive-mirror', {
      'job-id': 'mirror0',
      device: 'disk0',
      target: join(dir, 'dst.qcow2'),
      format: 'qcow2',
      mode: 'absolute-paths',
      sync: 'full',
      speed: 2 * MiB,
      // Small steps, so the limit holds from the first one (one 16 MiB buffer would copy it all at once).
      'buf-size': 256 * 1024,
      granularity: 64 * 1024,
    });
    // Progress: part of the disk copied, the rest to come, a measured rate.
    await waitFor(
      () => {
        const job = jobOf(t, vmId, 'mirror0');
        return job !== undefined && job.state === 'running' && job.current > 0 && job.current < job.total && job.rate !== undefined;
      },
      'mirror0 to show partial progress and a rate',
      DEADLINE_MS,
    ).catch((error: unknown) => {
      throw new Error(`mirror0 was ${JSON.stringify(jobOf(t, vmId, 'mirror0'))}`, { cause: error });
    });
    const running = jobOf(t, vmId, 'mirror0')!;
    expect(running).toMatchObject({ type: 'mirror', speedLimit: 2 * MiB, inQemu: true });
    expect(running.total).toBeGreaterThanOrEqual(16 * MiB);
    expect(jobActionAvailability(running, 'complete')).toMatchObject({ enabled: false, reason: expect.stringContaining('ready') });
    expect(jobActionAvailability(running, 'pause')).toEqual({ enabled: true });
    expect(jobActionAvailability(running, 'resume')).toMatchObject({ enabled: false });

    await run(t, vmId, 'job-pause', { id: 'mirror0' });
    await waitFor(() => jobOf(t, vmId, 'mirror0')?.userPaused === true, 'mirror0 to be paused', DEADLINE_MS);
    const paused = jobOf(t, vmId, 'mirror0')!;
    expect(jobActionAvailability(paused, 'pause')).toMatchObject({ enabled: false, reason: 'the job is already paused' });
    expect(jobActionAvailability(paused, 'resume')).toEqual({ enabled: true });
    await run(t, vmId, 'job-resume', { id: 'mirror0' });
    await waitFor(() => jobOf(t, vmId, 'mirror0')?.userPaused === false, 'mirror0 to run again', DEADLINE_MS);

    // Lift the limit so the copy finishes; a mirror then waits in `ready` for job-complete.
    await run(t, vmId, 'block-job-set-speed', { device: 'mirror0', speed: 0 });
    await waitFor(() => jobOf(t, vmId, 'mirror0')?.state === 'ready', 'mirror0 to be ready', DEADLINE_MS);
    const ready = jobOf(t, vmId, 'mirror0')!;
    expect(jobActionAvailability(ready, 'complete')).toEqual({ enabled: true });
    expect(jobActionAvailability(ready, 'finalize')).toMatchObject({ enabled: false });

    await run(t, vmId, 'job-complete', { id: 'mirror0' });
    await waitFor(() => jobOf(t, vmId, 'mirror0')?.inQemu === false, 'QEMU to drop mirror0', DEADLINE_MS);
    const ended = jobOf(t, vmId, 'mirror0')!;
    expect(ended).toMatchObject({ outcome: 'completed', type: 'mirror' });
    expect(ended.current).toBe(ended.total);
    expect(ended.error).toBeUndefined();
    // QEMU auto-dismissed it; the app's record stays, with only Dismiss open.
    const listed = await t.svc.handlers.executeCommand({ vmId, command: 'query-jobs' });
    expect(listed).toMatchObject({ ok: true, returnJson: '[]' });
    expect(jobActionAvailability(ended, 'cancel')).toMatchObject({ enabled: false });
    expect(jobActionAvailability(ended, 'dismiss')).toEqual({ enabled: true });

    // The user's actions are markers; the polling reads are not.
    const markers = await commandMarkers(t);
    expect(markers.filter((name) => /job-(pause|resume|complete)/.test(name))).toHaveLength(3);
    expect(markers.some((name) => name.includes('query-block-jobs'))).toBe(false);

    expect(await t.svc.handlers.dismissJob({ vmId, id: 'mirror0' })).toEqual({ forgotten: true });
    await waitFor(() => t.latest.get(vmId)?.jobs?.jobs.length === 0, 'the row to go', DEADLINE_MS);
  }, 180_000);

  it('keeps a concluded job of auto-dismiss=false in QEMU until Dismiss sends job-dismiss', async () => {
    const dir = makeTempDir('qmp-jobs-');
    const source = dataImage(dir, 'src.qcow2', 4);
    const qemu = await fixture.qemu({
      machine: 'pc',
      dir,
      extraArgs: [
        '-blockdev', `driver=qcow2,node-name=disk0,file.driver=file,file.filename=${source}`,
        '-blockdev', `driver=qcow2,node-name=dst0,file.driver=file,file.filename=${dataImage(dir, 'dst.qcow2', 4)}`,
      ],
    });
    const t = await fixture.startService();
    const vmId = await connected(t, qemu.target);
    await run(t, vmId, 'blockdev-backup', { 'job-id': 'backup0', device: 'disk0', target: 'dst0', sync: 'full', 'auto-dismiss': false });
    await waitFor(() => jobOf(t, vmId, 'backup0')?.state === 'concluded', 'backup0 to conclude', DEADLINE_MS);
    const concluded = jobOf(t, vmId, 'backup0')!;
    expect(concluded).toMatchObject({ type: 'backup', outcome: 'completed', inQemu: true });
    expect(jobActionAvailability(concluded, 'dismiss')).toEqual({ enabled: true });
    const result = await t.svc.handlers.dismissJob({ vmId, id: 'backup0' });
    expect(result).toMatchObject({ forgotten: true, outcome: { ok: true } });
    expect(await commandMarkers(t)).toContain('job-dismiss');
    const listed = await t.svc.handlers.executeCommand({ vmId, command: 'query-jobs' });
    expect(listed).toMatchObject({ ok: true, returnJson: '[]' });
    await waitFor(() => t.latest.get(vmId)?.jobs?.jobs.length === 0, 'the row to go', DEADLINE_MS);
  }, 120_000);
});

describe('a real migration between two local QEMUs', () => {
  it('shows progress and a history while active, then ends completed', async () => {
    const dir = makeTempDir('qmp-mig-');
    const incoming = join(dir, 'migrate.sock');
    const destination = await fixture.qemu({ machine: 'pc', dir: makeTempDir('qmp-mig-dst-'), extraArgs: ['-incoming', `unix:${incoming}`] });
    const source = await fixture.qemu({ machine: 'pc', dir });
    const t = await fixture.startService();
    const sourceId = await connected(t, source.target);
    await connected(t, destination.target);
    const migration = (): MigrationView | undefined => t.latest.get(sourceId)?.jobs?.migration;
    await waitFor(() => migration()?.status === 'none', 'the first migration read', DEADLINE_MS);

    // MIGRATION events only come with the `events` capability; the view must not need them, but uses them.
    await run(t, sourceId, 'migrate-set-capabilities', { capabilities: [{ capability: 'events', state: true }] });
    // Slow enough to be seen moving: the ROMs and BIOS of a never-run guest are a few hundred KiB.
    await run(t, sourceId, 'migrate-set-parameters', { 'max-bandwidth': 64 * 1024 });
    // QEMU binds the incoming socket after its monitor: wait for it, or the source finds nothing to connect to.
    await waitFor(() => existsSync(incoming), 'the incoming migration socket', DEADLINE_MS);
    await run(t, sourceId, 'migrate', { uri: `unix:${incoming}` });
    await waitFor(
      () => {
        const view = migration();
        return view?.status === 'active' && view.history.length >= 2 && (view.transferred ?? 0) > 0 && (view.remaining ?? 0) > 0;
      },
      'an active migration with progress',
      DEADLINE_MS,
    );
    const active = migration()!;
    expect(active.total).toBeGreaterThan(100 * MiB);
    expect(active.mbps).toBeGreaterThanOrEqual(0);
    const points = active.history.map(([, bytes]) => bytes);
    expect(points).toEqual([...points].sort((a, b) => a - b));

    await run(t, sourceId, 'migrate-set-parameters', { 'max-bandwidth': 1024 * MiB });
    // The MIGRATION event says "completed" at once; the figures come with the query-migrate read it triggers.
    await waitFor(() => migration()?.status === 'completed' && migration()?.downtime !== undefined, 'the migration to complete, with its figures', DEADLINE_MS);
    const done = migration()!;
    expect(done.downtime).toBeGreaterThanOrEqual(0);
    expect(done.passes).toBeGreaterThanOrEqual(1);
    expect(done.history.length).toBeGreaterThan(active.history.length);
    expect(done.transferred).toBeGreaterThan(active.transferred!);
    // The source stops at switch-over and the run state follows QEMU.
    await waitFor(() => t.latest.get(sourceId)?.runState?.status === 'postmigrate', 'the source in postmigrate', DEADLINE_MS);
  }, 180_000);
});
