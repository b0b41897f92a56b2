import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, scriptedPeer, useCliFixture, type CliProcess } from '../support/cli';
import { waitFor, type TestQemu } from '../support/qemu';

const { qemu, fake, spawn, run: runCli, tempDir } = useCliFixture();

/** QEMU with a second QMP monitor, since one monitor serves one client at a time. */
async function qemuWithTwoMonitors(): Promise<{ q: TestQemu; second: string }> {
  const dir = tempDir();
  const second = join(dir, 'qmp2.sock');
  const q = await qemu({ dir, extraArgs: ['-qmp', `unix:${second},server=on,wait=off`] });
  return { q, second: `unix:${second}` };
}

function events(args: string[]): CliProcess {
  return spawn(['events', ...args]);
}

/**
 * The CLI is connected once QEMU's monitor is taken: a probe `exec` on it then gets no greeting
 * (QEMU queues a second client silently). Other failures (a slow start) just probe again.
 */
async function waitUntilConnected(target: string): Promise<void> {
  await waitFor(async () => /no QMP greeting/.test((await runCli(['exec', target, 'query-status', '--timeout', '0.8'])).stderr), 'events to hold the monitor', 20_000);
}

describe('qmp-monitor events', () => {
  it('prints N events as JSON lines and exits 0 after --count N', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    const cli = events([q.target, '--count', '2']);
    await waitUntilConnected(q.target);
    expect((await runCli(['exec', second, 'stop'])).code).toBe(0);
    expect((await runCli(['exec', second, 'cont'])).code).toBe(0);
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as { event: string; timestamp: { seconds: number; microseconds: number } }[];
    expect(lines.map((e) => e.event)).toEqual(['STOP', 'RESUME']);
    for (const e of lines) {
      expect(e.timestamp.seconds).toBeGreaterThan(1_600_000_000);
      expect(e.timestamp.microseconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('exits 0 when QEMU quits, after printing the SHUTDOWN event', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    const cli = events(['--timeout', '2', q.target]);
    await waitUntilConnected(q.target);
    await runCli(['exec', second, 'quit']);
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([expect.objectContaining({ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' } })]);
  });

  it('exits 0 when QEMU is killed (plain EOF)', async () => {
    const { q } = await qemuWithTwoMonitors();
    const cli = events([q.target]);
    await waitUntilConnected(q.target);
    await q.kill();
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('fails with one error line and exit 2 when it cannot connect', async () => {
    const r = await runCli(['events', 'unix:/nonexistent/qmp.sock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: [^\n]*\n$/);
  });

  it('applies --timeout to the greeting', async () => {
    const f = await fake(() => undefined);
    const r = await runCli(['events', f.target, '--timeout', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no QMP greeting[^\n]*\n$/);
    expect(r.ms).toBeLessThan(500 + 3000);
  });

  it('fails with exit 2 when the peer dies in the middle of an event', async () => {
    let peerSocket: Socket | undefined;
    const f = await fake(scriptedPeer(() => undefined, (s) => (peerSocket = s)));
    const cli = events([f.target]);
    await waitFor(() => peerSocket !== undefined, 'the CLI to negotiate');
    peerSocket!.end('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "A"}\r\n{"timestamp": {"seconds": 1, "micro');
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('{"timestamp":{"seconds":1,"microseconds":2},"event":"A"}\n');
    expect(r.stderr).toMatch(/^error: [^\n]*half-received message[^\n]*\n$/);
  });

  it('fails with exit 2 when the peer breaks the protocol after connecting', async () => {
    let peerSocket: Socket | undefined;
    const f = await fake(scriptedPeer(() => undefined, (s) => (peerSocket = s)));
    const cli = events([f.target]);
    await waitFor(() => peerSocket !== undefined, 'the CLI to negotiate');
    peerSocket!.write('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "X", "data": {"n": 12345678901234567890}}\r\nnot json\r\n');
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('{"timestamp":{"seconds":1,"microseconds":2},"event":"X","data":{"n":12345678901234567890}}\n');
    expect(r.stderr).toMatch(/^error: [^\n]*\n$/);
  });
});
