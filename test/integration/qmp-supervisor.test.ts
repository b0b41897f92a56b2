/**
 * The supervisor against real QEMU going away and coming back on the same socket path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpConnectionError } from '../../electron/core/qmp/errors';
import type { ConnectionState } from '../../electron/common/models';
import { QmpSupervisor, type SupervisorOptions } from '../../electron/core/qmp/supervisor';
import { parseTarget } from '../../electron/core/qmp/target';
import { makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';

const qemus: TestQemu[] = [];
const supervisors: QmpSupervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
});

function supervise(target: string, backoff: SupervisorOptions = { initialDelayMs: 20, maxDelayMs: 200, jitter: 0.1 }) {
  const supervisor = new QmpSupervisor(parseTarget(target), backoff);
  supervisors.push(supervisor);
  const states: ConnectionState[] = [];
  supervisor.onState((s) => states.push(s));
  return { supervisor, states };
}

describe('QmpSupervisor on real QEMU', () => {
  it('reconnects after QEMU is killed and restarted on the same socket', async () => {
    const dir = makeTempDir();
    const first = await startQemu({ dir, machine: 'pc' });
    qemus.push(first);
    const { supervisor, states } = supervise(first.target);
    let readies = 0;
    supervisor.onReady(() => readies++);
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'ready', 'first connect');
    await expect(supervisor.execute('query-status')).resolves.toMatchObject({ status: 'prelaunch' });

    await first.kill();
    await waitFor(() => supervisor.state.phase !== 'ready', 'the loss to be noticed');
    await expect(supervisor.execute('query-status')).rejects.toThrow(QmpConnectionError);
    await expect(supervisor.execute('query-status')).rejects.toThrow(/^cannot run query-status: not connected \(/);
    await waitFor(() => states.filter((s) => s.phase === 'reconnecting').length >= 2, 'a failed retry');

    const second = await startQemu({ dir, machine: 'pc' });
    qemus.push(second);
    await waitFor(() => supervisor.state.phase === 'ready', 'the reconnect', 15_000);
    expect(readies).toBe(2);
    await expect(supervisor.execute('cont')).resolves.toEqual({});

    // A first 'reconnecting' can precede the first 'ready' when QEMU has bound but not yet listened.
    const firstReady = states.findIndex((s) => s.phase === 'ready');
    const afterLoss = states.slice(firstReady + 1);
    expect(states[0]!.phase).toBe('connecting');
    expect(afterLoss[0]!.phase).toBe('reconnecting');
    expect(afterLoss.at(-1)!.phase).toBe('ready');
    const retries = afterLoss.filter((s) => s.phase === 'reconnecting');
    expect(retries[0]!.reason).toMatch(/closed by QEMU|reset/);
    for (const r of retries) expect(r.nextRetryAt).toBeGreaterThanOrEqual(r.since);
    expect(retries[1]!.attempt).toBeGreaterThan(retries[0]!.attempt);
  });

  it('connects as soon as a restarted QEMU binds the socket, not when a long backoff ends', async () => {
    const dir = makeTempDir();
    const first = await startQemu({ dir });
    qemus.push(first);
    // A minute's wait, as after a long outage: the test's own timeout is shorter.
    const { supervisor, states } = supervise(first.target, { initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 });
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'ready', 'first connect');
    const readyAt = states.length;

    await first.kill(); // SIGKILL leaves the socket file behind, as a crash does
    await waitFor(() => supervisor.state.phase === 'reconnecting', 'the loss to be noticed');
    expect(supervisor.state.nextRetryAt! - supervisor.state.since).toBe(60_000);
    const second = await startQemu({ dir });
    qemus.push(second);
    await waitFor(() => supervisor.state.phase === 'ready', 'the reconnect');

    const afterLoss = states.slice(readyAt);
    expect(afterLoss[0]).toMatchObject({ phase: 'reconnecting', attempt: 1 });
    expect(afterLoss[1]).toMatchObject({ phase: 'connecting', attempt: 1, reason: `socket ${second.socketPath} appeared` });
    expect(afterLoss.at(-1)!.phase).toBe('ready');
    // Only the short grace for a socket bound a moment before listen() may come in between.
    for (const waiting of afterLoss.filter((s) => s.phase === 'reconnecting').slice(1)) {
      expect(waiting.nextRetryAt! - waiting.since).toBeLessThan(1000);
    }
    await expect(supervisor.execute('query-status')).resolves.toMatchObject({ running: true });
  });

  it('forwards events of the current client', async () => {
    const q = await startQemu({ machine: 'pc' });
    qemus.push(q);
    const { supervisor } = supervise(q.target);
    const events: string[] = [];
    supervisor.onEvent((e) => events.push(e.event));
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'ready', 'connect');
    await supervisor.execute('cont');
    await supervisor.execute('stop');
    expect(events).toEqual(['RESUME', 'STOP']);
  });
});
