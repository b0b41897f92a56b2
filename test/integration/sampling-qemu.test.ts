/**
 * The live-chart sampler against real QEMU: block I/O rates after guest-visible writes, CPU,
 * RSS and vCPU figures for a local QEMU (confirmed by PID), "unavailable" with the reason
 * behind a forwarder, a gap on disconnect and after a lapsed lease, and skipped ticks while
 * QEMU does not answer.
 */
import { execFileSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample, SamplesPage } from '../../electron/common/samples';
import type { MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../support/qemu';
import { TEST_TUNING, useServiceFixture } from '../support/service';

const { startService, qemu: startQemu } = useServiceFixture();
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const DEADLINE_MS = 30_000;
const MIB = 1024 * 1024;

/** Collects every sample of `vmId` as a page would, renewing the lease on each poll. */
function follow(svc: MonitorServiceHandle, vmId: string, intervalMs = 250) {
  const samples: Sample[] = [];
  let page: SamplesPage | undefined;
  let renew = true;
  return {
    samples,
    get page() {
      return page;
    },
    stopRenewing() {
      renew = false;
    },
    async poll(): Promise<void> {
      if (renew) await svc.handlers.watchSamples({ vmId, intervalMs });
      page = await svc.handlers.getSamples({ vmId, afterSeq: samples[samples.length - 1]?.seq ?? 0 });
      samples.push(...page.samples);
    },
  };
}

async function pollUntil(follower: ReturnType<typeof follow>, check: () => boolean, what: string): Promise<void> {
  await waitFor(async () => {
    await follower.poll();
    return check();
  }, what, DEADLINE_MS);
}

function qcow2(dir: string): string {
  const path = join(dir, 'disk.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path, '16M']);
  return path;
}

describe('chart sampling with real QEMU', () => {
  it('charts block I/O, CPU, RSS, vCPUs, guest memory and balloon of a local PC, with no timeline markers', async () => {
    const dir = makeTempDir('qmp-sample-');
    const qemu = await startQemu({ machine: 'pc', extraArgs: ['-m', '128', '-drive', `if=none,id=drive0,file=${qcow2(dir)},format=qcow2`, '-device', 'virtio-balloon-pci'] });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready', DEADLINE_MS);
    const charts = follow(svc, config.id);
    await pollUntil(charts, () => charts.samples.some((s) => s.cpuPercent !== null && s.vcpuPercent[0]?.percent != null), 'a CPU rate');
    expect(charts.page!.sources).toMatchObject({ pid: qemu.pid, hostReason: null, balloonReason: null });
    const last = charts.samples[charts.samples.length - 1]!;
    expect(last.rssBytes).toBeGreaterThan(1 * MIB);
    expect(last.guestMemoryBytes).toBe(128 * MIB);
    expect(last.balloonBytes).toBe(128 * MIB);
    expect(last.vcpuPercent.map((v) => v.index)).toEqual([0]);
    expect(last.blocks.map((b) => b.device)).toEqual(['drive0']);

    const io = await svc.handlers.executeCommand({ vmId: config.id, command: 'human-monitor-command', argumentsJson: JSON.stringify({ 'command-line': 'qemu-io drive0 "aio_write 0 1M"' }) });
    expect(io.ok).toBe(true);
    await pollUntil(charts, () => charts.samples.some((s) => (s.blocks[0]?.writeBytesPerSec ?? 0) > 0), 'a write rate above zero');
    const writing = charts.samples.find((s) => (s.blocks[0]?.writeBytesPerSec ?? 0) > 0)!;
    expect(writing.blocks[0]!.writeBytes).toBeGreaterThanOrEqual(MIB);
    expect(writing.blocks[0]!.writeOpsPerSec).toBeGreaterThan(0);

    // Sample reads bypass the command path: the timeline has the user's HMP command only.
    const { events } = await svc.handlers.getEvents({ afterSeq: -1, limit: 10_000 });
    const commands = events.filter((e) => e.marker === 'command').map((e) => `${e.event} ${e.dataJson ?? ''}`);
    expect(commands.join('\n')).toContain('human-monitor-command');
    expect(commands.join('\n')).not.toMatch(/query-(blockstats|balloon|memory-size-summary|cpus-fast)/);
  }, 90_000);

  it('says why there is no CPU or memory figure behind a TCP forwarder, and reads them over QEMU\'s own TCP port', async () => {
    const qemu = await startQemu({ machine: 'pc' });
    // A forwarder in this process stands in for `ssh -L`: QEMU's vCPU thread ids exist here, but
    // the process serving the port is not QEMU, so its numbers must not be claimed.
    const forwarder = createServer((client) => {
      const upstream = connect(qemu.socketPath!);
      sockets.push(client, upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    servers.push(forwarder);
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const port = (forwarder.address() as { port: number }).port;
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: `tcp:127.0.0.1:${port}`, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready', DEADLINE_MS);
    const charts = follow(svc, config.id);
    await pollUntil(charts, () => charts.samples.filter((s) => s.gap === undefined).length >= 3, 'three samples');
    expect(charts.page!.sources.pid).toBeNull();
    expect(charts.page!.sources.hostReason).toMatch(/does not serve 127\.0\.0\.1:\d+: the monitor is forwarded/);
    expect(charts.page!.sources.balloonReason).toMatch(/balloon/i);
    expect(charts.samples.every((s) => s.cpuPercent === null && s.rssBytes === null && s.vcpuPercent.length === 0)).toBe(true);

    const direct = await startQemu({ machine: 'none', transport: 'tcp' });
    const second = await svc.handlers.addVm({ target: direct.target, autoConnect: true });
    await waitFor(() => latest.get(second.config.id)?.connection.phase === 'ready', 'ready', DEADLINE_MS);
    const own = follow(svc, second.config.id);
    await pollUntil(own, () => own.samples.some((s) => s.cpuPercent !== null), 'a CPU rate over TCP');
    expect(own.page!.sources).toMatchObject({ pid: direct.pid, hostReason: null });
  }, 90_000);

  it('breaks the line when QEMU goes away and when the lease lapses; the first rate after a gap is null', async () => {
    const qemu = await startQemu({ machine: 'none' });
    const { svc, latest } = await startService({}, { ...TEST_TUNING, sampleLeaseMs: 1500 });
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready', DEADLINE_MS);
    const charts = follow(svc, config.id);
    await pollUntil(charts, () => charts.samples.some((s) => s.cpuPercent !== null), 'a CPU rate');
    expect(charts.samples[0]!.cpuPercent).toBeNull();

    // Not renewed: sampling stops with a gap, and nothing more is sampled.
    charts.stopRenewing();
    await pollUntil(charts, () => charts.samples.some((s) => s.gap === 'the charts were not shown'), 'a lapsed-lease gap');
    const stoppedAt = charts.page!.lastSeq;
    await svc.handlers.getSamples({ vmId: config.id, afterSeq: 0 });
    expect(charts.samples[charts.samples.length - 1]!.gap).toBe('the charts were not shown');

    // Watching again: the first sample after the gap has no rate (no spike over the pause).
    const resumed = follow(svc, config.id);
    await pollUntil(resumed, () => resumed.samples.some((s) => s.seq > stoppedAt + 1), 'two samples after resuming');
    const after = resumed.samples.filter((s) => s.seq > stoppedAt);
    expect(after[0]!.cpuPercent).toBeNull();
    expect(after[1]!.cpuPercent).not.toBeNull();

    await qemu.kill();
    await pollUntil(resumed, () => resumed.samples.some((s) => s.gap?.startsWith('disconnected') === true), 'a disconnect gap');
  }, 90_000);

  it('skips and counts ticks while QEMU does not answer, and the user\'s command is not queued behind samples', async () => {
    const qemu = await startQemu({ machine: 'none' });
    const { svc, latest } = await startService();
    const { config } = await svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready', DEADLINE_MS);
    const charts = follow(svc, config.id, 250);
    await pollUntil(charts, () => charts.samples.length >= 2, 'two samples');
    const before = charts.page!.skipped;
    process.kill(qemu.pid, 'SIGSTOP');
    try {
      await pollUntil(charts, () => charts.page!.skipped >= before + 3, 'three skipped ticks');
    } finally {
      process.kill(qemu.pid, 'SIGCONT');
    }
    // One sample was waiting, not a queue of them: the user's command answers at once.
    const status = await svc.handlers.executeCommand({ vmId: config.id, command: 'query-status' });
    expect(status.ok).toBe(true);
    const seq = charts.page!.lastSeq;
    await pollUntil(charts, () => charts.page!.lastSeq >= seq + 2, 'sampling again');
  }, 90_000);
});
