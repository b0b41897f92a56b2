/**
 * How often the core pushes a VM's snapshot while the VM keeps changing: a flood of job events
 * (from a fake peer: QEMU cannot be made to emit them at will) changes the snapshot's jobs with
 * every event, and its pushes still come at most about four a second; a STOP in the middle of
 * it reaches the pushed snapshot (run state is never held back), and when the flood ends the
 * last snapshot pushed is the VM as the core holds it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VmSnapshot } from '../../electron/common/models';
import { floodPeerCommands } from '../support/event-flood';
import { startFakeQmpServer, type FakeConnection, type FakeQmpServer } from '../support/fake-qmp-server';
import { waitFor } from '../support/qemu';
import { useServiceFixture } from '../support/service';

const { startService } = useServiceFixture();
const peers: FakeQmpServer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

/** `count` JOB_STATUS_CHANGE lines over 50 jobs, each job's status turning from running to paused and back. */
function jobLines(from: number, count: number): string {
  const lines: string[] = [];
  for (let index = from; index < from + count; index += 1) {
    const status = Math.floor(index / 50) % 2 === 0 ? 'running' : 'paused';
    lines.push(`{"timestamp": {"seconds": 1733140000, "microseconds": ${index % 1_000_000}}, "event": "JOB_STATUS_CHANGE", "data": {"status": "${status}", "id": "job${index % 50}"}}\r\n`);
  }
  return lines.join('');
}

/** Writes job events in 10 ms ticks for `ms` (whatever the machine's speed, the flood lasts that long); returns how many. */
async function floodJobs(conn: FakeConnection, ms: number, perTick: number, from = 0): Promise<number> {
  const until = Date.now() + ms;
  let written = from;
  while (Date.now() < until) {
    await conn.write(jobLines(written, perTick));
    written += perTick;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return written;
}

describe('VM snapshot pushes under a flood of job events', () => {
  it('come at most about four a second, carry a STOP from the middle of the flood, and end with the VM as held', async () => {
    // Answers as QEMU would: running until the STOP, paused after it.
    let status = 'running';
    const answer = floodPeerCommands('jobs');
    const peer = await startFakeQmpServer({
      onCommand: (command, connection) => {
        if (command.execute === 'query-status') void connection.reply(command, { status, singlestep: false, running: status === 'running' });
        else answer(command, connection);
      },
    });
    peers.push(peer);
    const service = await startService();
    const { config } = await service.svc.handlers.addVm({ target: peer.target, autoConnect: true });
    const conn = await peer.nextConnection();
    await waitFor(() => service.latest.get(config.id)?.connection.phase === 'ready', 'the VM to be ready', 30_000);
    const snapshots = (): VmSnapshot[] => service.pushes.filter((push) => push.channel === 'vmChanged').map((push) => push.payload as VmSnapshot).filter((vm) => vm.config.id === config.id);

    const before = snapshots().length;
    const started = Date.now();
    let written = await floodJobs(conn, 1_000, 100);
    status = 'paused';
    await conn.event('STOP');
    written = await floodJobs(conn, 1_000, 100, written);
    const elapsedMs = Date.now() - started;
    const during = snapshots().length - before;

    // The jobs changed with every event (thousands of changes); pushed: about four a second,
    // and never more than the pace allows (one per 250 ms, the first and the urgent STOP aside).
    expect(written).toBeGreaterThan(1_000);
    expect(during).toBeGreaterThanOrEqual(3);
    expect(during).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 2);
    // The STOP reached a pushed snapshot while the flood went on.
    await waitFor(() => service.latest.get(config.id)?.runState?.status === 'paused', 'the STOP in a pushed snapshot');

    // Once quiet, the last push is the VM as the core holds it, jobs included.
    await waitFor(async () => {
      const [held] = (await service.svc.handlers.listVms({})).filter((vm) => vm.config.id === config.id);
      return JSON.stringify(held) === JSON.stringify(snapshots().at(-1));
    }, 'the last pushed snapshot to be the VM as held');
    const last = snapshots().at(-1)!;
    expect(last.jobs?.jobs.length).toBe(50);
  });
});
