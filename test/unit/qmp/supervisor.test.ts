/**
 * Supervisor life cycle details that need a controllable peer: backoff growth, retryNow, stop.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../electron/common/models';
import { QmpSupervisor } from '../../../electron/core/qmp/supervisor';
import { parseTarget } from '../../../electron/core/qmp/target';
import { startFakeQmpServer, type FakeQmpServer } from '../../support/fake-qmp-server';
import { makeTempDir, waitFor } from '../../support/qemu';

const servers: FakeQmpServer[] = [];
const supervisors: QmpSupervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Node's count of live timers: the test runner owns some, so tests compare before/after. */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((h) => h === 'Timeout').length;
}

function supervise(path: string, options: ConstructorParameters<typeof QmpSupervisor>[1] = {}) {
  const supervisor = new QmpSupervisor(parseTarget(`unix:${path}`), { initialDelayMs: 10, maxDelayMs: 80, jitter: 0, ...options });
  supervisors.push(supervisor);
  const states: ConnectionState[] = [];
  supervisor.onState((s) => states.push(s));
  return { supervisor, states };
}

describe('QmpSupervisor', () => {
  it('starts stopped and rejects commands with the reason', async () => {
    const { supervisor } = supervise('/nonexistent/qmp.sock');
    expect(supervisor.state).toMatchObject({ phase: 'stopped', attempt: 0 });
    await expect(supervisor.execute('query-status')).rejects.toThrow('cannot run query-status: not connected (not started)');
  });

  it('backs off exponentially up to the cap while nothing listens', async () => {
    const { supervisor, states } = supervise(`${makeTempDir()}/absent.sock`);
    supervisor.start();
    await waitFor(() => states.filter((s) => s.phase === 'reconnecting').length >= 5, 'five failed attempts');
    const waits = states.filter((s) => s.phase === 'reconnecting').map((s) => s.nextRetryAt! - s.since);
    expect(waits.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
    expect(states.find((s) => s.phase === 'reconnecting')!.reason).toMatch(/ENOENT/);
    expect(states.filter((s) => s.phase === 'connecting').map((s) => s.attempt).slice(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('keeps backing off when the socket folder does not exist, so there is nothing to watch', async () => {
    const { supervisor, states } = supervise(`${makeTempDir()}/missing-folder/qmp.sock`);
    supervisor.start();
    await waitFor(() => states.filter((s) => s.phase === 'reconnecting').length >= 3, 'three failed attempts');
    expect(states.filter((s) => s.phase === 'reconnecting').map((s) => s.nextRetryAt! - s.since).slice(0, 3)).toEqual([10, 20, 40]);
  });

  it('connects at once when the socket file appears, without retryNow', async () => {
    const path = `${makeTempDir()}/qmp.sock`;
    const { supervisor, states } = supervise(path, { initialDelayMs: 60_000, maxDelayMs: 60_000 });
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'reconnecting', 'first failure');
    servers.push(await startFakeQmpServer({}, path));
    await waitFor(() => supervisor.state.phase === 'ready', 'connect once the socket appeared');
    expect(states.map((s) => s.phase)).toEqual(['connecting', 'reconnecting', 'connecting', 'ready']);
    expect(states[2]!.reason).toBe(`socket ${path} appeared`);
  });

  it('connects at once on retryNow instead of waiting out the backoff', async () => {
    const path = `${makeTempDir()}/qmp.sock`;
    const { supervisor } = supervise(path, { initialDelayMs: 60_000, maxDelayMs: 60_000 });
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'reconnecting', 'first failure');
    servers.push(await startFakeQmpServer({}, path));
    supervisor.retryNow();
    await waitFor(() => supervisor.state.phase === 'ready', 'connect after retryNow');
    expect(supervisor.client).toBeDefined();
  });

  it('resets the backoff after a successful connect', async () => {
    const path = `${makeTempDir()}/qmp.sock`;
    const { supervisor, states } = supervise(path);
    supervisor.start();
    await waitFor(() => states.filter((s) => s.phase === 'reconnecting').length >= 3, 'three failures');
    const server = await startFakeQmpServer({}, path);
    await waitFor(() => supervisor.state.phase === 'ready', 'connect');
    const readyAt = states.length;
    await server.close();
    rmSync(path, { force: true });
    await waitFor(() => states.slice(readyAt).some((s) => s.phase === 'reconnecting'), 'loss noticed');
    const afterLoss = states.slice(readyAt).find((s) => s.phase === 'reconnecting')!;
    expect(afterLoss.nextRetryAt! - afterLoss.since).toBe(10);
    expect(afterLoss.attempt).toBe(1);
  });

  it('stops mid-backoff and mid-connect without leaving timers or sockets behind', async () => {
    const silent = await startFakeQmpServer({ greeting: false });
    servers.push(silent);
    const { supervisor, states } = supervise(silent.path, { client: { greetingTimeoutMs: 60_000 } });
    const timersBefore = activeTimers();
    supervisor.start();
    await silent.nextConnection();
    expect(supervisor.state.phase).toBe('connecting');
    await supervisor.stop();
    expect(supervisor.state.phase).toBe('stopped');
    const stoppedAt = states.length;
    await waitFor(() => silent.connections[0]!.socket.destroyed || silent.connections[0]!.socket.readableEnded, 'socket closed');
    expect(states.length).toBe(stoppedAt);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('stops while waiting to retry without leaving the retry timer behind', async () => {
    const { supervisor } = supervise(`${makeTempDir()}/absent.sock`, { initialDelayMs: 60_000, maxDelayMs: 60_000 });
    const timersBefore = activeTimers();
    supervisor.start();
    await waitFor(() => supervisor.state.phase === 'reconnecting', 'first failure');
    // At least the retry timer (another test's last timer may expire meanwhile on a busy machine).
    expect(activeTimers()).toBeGreaterThanOrEqual(1);
    await supervisor.stop();
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });
});
