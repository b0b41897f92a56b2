/**
 * The app-owned demo VM, with the installed qemu-system-x86_64: start, exit reasons, stop,
 * and that dispose never leaves it running.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoState, VmSnapshot } from '../../electron/common/models';
import { createMonitorService, type MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../support/qemu';

let service: MonitorServiceHandle | undefined;
const pids: number[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await service?.dispose();
  service = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  // Safety net: whatever the service did, no demo QEMU survives a test.
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone, as expected */
    }
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function start(demo = false, dataDir = makeTempDir('qmp-demo-'), onDemo?: (state: DemoState) => void) {
  dirs.push(dataDir);
  const demos: DemoState[] = [];
  const vms = new Map<string, VmSnapshot>();
  const removed: string[] = [];
  const svc = await createMonitorService({ dataDir, host: 'electron', version: 't', demo }, { supervisor: { initialDelayMs: 50, maxDelayMs: 200 }, discoveryRescanMs: 60_000 });
  service = svc;
  svc.onPush((channel, payload) => {
    if (channel === 'demoChanged') {
      demos.push(payload as DemoState);
      const pid = (payload as DemoState).pid;
      if (pid) pids.push(pid);
      onDemo?.(payload as DemoState);
    }
    if (channel === 'vmChanged') vms.set((payload as VmSnapshot).config.id, payload as VmSnapshot);
    if (channel === 'vmRemoved') removed.push((payload as { id: string }).id);
  });
  return { svc, dataDir, demos, vms, removed };
}

describe('demo VM (real qemu-system-x86_64)', () => {
  it('starts a paused PC, lists it as the demo VM and stops it with a reason', async () => {
    const { svc, dataDir, demos, vms, removed } = await start();
    expect((await svc.handlers.getDemo({})).status).toBe('absent');
    const state = await svc.handlers.startDemo({});
    expect(state).toMatchObject({ status: 'running', vmId: 'demo' });
    expect(state.pid).toBeGreaterThan(0);
    pids.push(state.pid!);
    expect(existsSync(`${dataDir}/demo/qmp.sock`)).toBe(true);
    expect(demos.map((d) => d.status)).toContain('starting');
    await waitFor(() => vms.get('demo')?.runState?.status === 'prelaunch', 'demo VM read');
    expect(vms.get('demo')).toMatchObject({ origin: 'demo', name: 'qmp-monitor-demo', connection: { phase: 'ready' } });
    // Starting again while it runs gives the same VM, not a second QEMU.
    expect((await svc.handlers.startDemo({})).pid).toBe(state.pid);

    const stopped = await svc.handlers.stopDemo({});
    expect(stopped.status).toBe('exited');
    expect(stopped.reason).toMatch(/^stopped by QMP Monitor \((exit code 0|killed by SIGTERM)\)/);
    expect(alive(state.pid!)).toBe(false);
    await waitFor(() => removed.includes('demo'), 'demo VM removed');
    expect(await svc.handlers.listVms({})).toEqual([]);
  });

  it('shows why QEMU exited when it quits on its own, and can be started again', async () => {
    const { svc, vms } = await start();
    const first = await svc.handlers.startDemo({});
    await waitFor(() => vms.get('demo')?.connection.phase === 'ready', 'demo ready');
    const quit = await svc.handlers.executeCommand({ vmId: 'demo', command: 'quit' });
    expect(quit.ok).toBe(true);
    await waitFor(async () => (await svc.handlers.getDemo({})).status === 'exited', 'demo exited');
    expect((await svc.handlers.getDemo({})).reason).toBe('QEMU exited (exit code 0)');
    await waitFor(() => vms.get('demo')?.connection.phase === 'stopped', 'demo VM stopped');
    expect(vms.get('demo')!.connection.reason).toMatch(/QEMU exited \(exit code 0\)/);
    expect(vms.get('demo')!.runState).toMatchObject({ status: 'shutdown', source: 'event:SHUTDOWN (host-qmp-quit)' });
    expect(alive(first.pid!)).toBe(false);

    const second = await svc.handlers.startDemo({});
    expect(second.status).toBe('running');
    expect(second.pid).not.toBe(first.pid);
    await waitFor(() => vms.get('demo')?.connection.phase === 'ready', 'demo ready again');
  });

  it('removing the demo VM stops its QEMU', async () => {
    const { svc, removed } = await start();
    const state = await svc.handlers.startDemo({});
    expect(await svc.handlers.removeVm({ id: 'demo' })).toEqual({ removed: true });
    expect(alive(state.pid!)).toBe(false);
    expect(removed).toContain('demo');
    expect((await svc.handlers.getDemo({})).status).toBe('exited');
  });

  it('shows QEMU\'s own words when it fails to start', async () => {
    // Unix socket paths are limited to 108 bytes: QEMU refuses and says so on stderr.
    const parent = makeTempDir('qmp-demo-');
    dirs.push(parent);
    const longDir = join(parent, 'a'.repeat(60), 'b'.repeat(60));
    const { svc } = await start(false, longDir);
    const state = await svc.handlers.startDemo({});
    expect(state.status).toBe('exited');
    expect(state.reason).toMatch(/^QEMU exited \(exit code 1\): .*is too long/s);
    expect(await svc.handlers.listVms({})).toEqual([]);
  });

  it('reports a kill from outside with the signal', async () => {
    const { svc } = await start();
    const state = await svc.handlers.startDemo({});
    process.kill(state.pid!, 'SIGKILL');
    await waitFor(async () => (await svc.handlers.getDemo({})).status === 'exited', 'demo exited');
    expect((await svc.handlers.getDemo({})).reason).toBe('QEMU exited (killed by SIGKILL)');
  });

  it('a demo killed from outside stops its VM entry (no retrying a dead socket) and a restart reconnects it', async () => {
    const { svc, vms } = await start();
    const first = await svc.handlers.startDemo({});
    await waitFor(() => vms.get('demo')?.connection.phase === 'ready', 'demo ready');
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => vms.get('demo')?.connection.phase === 'stopped', 'demo VM stopped');
    const stopped = vms.get('demo')!.connection;
    expect(stopped.reason).toBe('demo VM QEMU exited (killed by SIGKILL)');
    expect(stopped.nextRetryAt).toBeUndefined();
    expect(vms.get('demo')!.runState).toBeUndefined();
    // Stopped means not supervised: a command says so instead of waiting for a reconnect.
    expect(await svc.handlers.executeCommand({ vmId: 'demo', command: 'query-status' })).toMatchObject({ ok: false, desc: expect.stringMatching(/not connected.*demo VM QEMU exited \(killed by SIGKILL\)/) });

    const second = await svc.handlers.startDemo({});
    expect(second).toMatchObject({ status: 'running', vmId: 'demo' });
    expect(second.pid).not.toBe(first.pid);
    await waitFor(() => vms.get('demo')?.connection.phase === 'ready' && vms.get('demo')?.runState?.status === 'prelaunch', 'demo ready again');
    expect((await svc.handlers.listVms({})).map((v) => v.config.id)).toEqual(['demo']);
  });

  it('a restart asked for from the exit notification itself stays connected', async () => {
    let restart: Promise<DemoState> | undefined;
    const ctx = await start(false, undefined, (state) => {
      if (state.status === 'exited' && !restart) restart = ctx.svc.handlers.startDemo({});
    });
    const first = await ctx.svc.handlers.startDemo({});
    await waitFor(() => ctx.vms.get('demo')?.connection.phase === 'ready', 'demo ready');
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => restart !== undefined, 'the restart');
    const second = await restart!;
    expect(second.status).toBe('running');
    // The old exit's disconnect is done before the restart resolves: nothing can undo the new connection.
    // Asked of the core itself: the pushed snapshot comes once per window and may still be the one from before the kill.
    const phaseNow = async () => (await ctx.svc.handlers.listVms({})).find((vm) => vm.config.id === 'demo')?.connection.phase;
    await waitFor(async () => (await phaseNow()) === 'ready', 'demo ready again');
    expect(await ctx.svc.handlers.executeCommand({ vmId: 'demo', command: 'query-status' })).toMatchObject({ ok: true });
    expect(await phaseNow()).toBe('ready');
    await waitFor(() => ctx.vms.get('demo')?.connection.phase === 'ready', 'the pushed snapshot ready too');
  });

  it('--demo starts it at launch and dispose stops it', async () => {
    const { svc } = await start(true);
    await waitFor(async () => (await svc.handlers.getDemo({})).status === 'running', 'demo running');
    const { pid } = await svc.handlers.getDemo({});
    expect(alive(pid!)).toBe(true);
    await svc.dispose();
    service = undefined;
    expect(alive(pid!)).toBe(false);
  });
});
