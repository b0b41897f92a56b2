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

/** Non-empty lines of a stream. */
function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** One event line as QEMU 7.2 sends STOP/RESUME, with our target member first. */
function namedLine(target: string, event: string): RegExp {
  const quoted = JSON.stringify(target).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^\\{"target":${quoted},"timestamp":\\{"seconds":\\d{10},"microseconds":\\d+\\},"event":"${event}"\\}$`);
}

describe('qmp-monitor events with several targets, --event and --pretty', () => {
  it('merges two QEMUs in arrival order, each line naming its target as typed', async () => {
    const [a, b] = await Promise.all([qemuWithTwoMonitors(), qemuWithTwoMonitors()]);
    const bPath = b.q.socketPath!; // a bare path: the line must name it the way it was typed
    const cli = events([a.q.target, bPath, '--count', '4']);
    await Promise.all([waitUntilConnected(a.q.target), waitUntilConnected(b.q.target)]);
    // Each event waits for the line before it, so arrival order is fixed across the two sockets.
    const steps: [string, string][] = [[a.second, 'stop'], [b.second, 'stop'], [b.second, 'cont'], [a.second, 'cont']];
    for (const [i, [target, command]] of steps.entries()) {
      expect((await runCli(['exec', target, command])).code).toBe(0);
      if (i < steps.length - 1) await waitFor(() => lines(cli.stdout()).length > i, `event ${i + 1} to be printed`, 15_000);
    }
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(namedLine(a.q.target, 'STOP'));
    expect(out[1]).toMatch(namedLine(bPath, 'STOP'));
    expect(out[2]).toMatch(namedLine(bPath, 'RESUME'));
    expect(out[3]).toMatch(namedLine(a.q.target, 'RESUME'));
  });

  it('prints only events matching --event globs, and --count counts only those', async () => {
    const [a, b] = await Promise.all([qemuWithTwoMonitors(), qemuWithTwoMonitors()]);
    const cli = events(['--event', 'RESU*', a.q.target, b.q.target, '--event', 'SHUTDOWN', '--count', '2']);
    await Promise.all([waitUntilConnected(a.q.target), waitUntilConnected(b.q.target)]);
    await runCli(['exec', a.second, 'stop']);
    await runCli(['exec', a.second, 'cont']);
    await cli.waitForOutput(/"event":"RESUME"/);
    await runCli(['exec', b.second, 'stop']);
    await runCli(['exec', b.second, 'cont']);
    const r = await cli.done;
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(namedLine(a.q.target, 'RESUME'));
    expect(out[1]).toMatch(namedLine(b.q.target, 'RESUME'));
  });

  it('keeps the one-target line unchanged with --event', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    const cli = events([q.target, '--event', 'RESUME', '--count', '1']);
    await waitUntilConnected(q.target);
    await runCli(['exec', second, 'stop']);
    await runCli(['exec', second, 'cont']);
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\{"timestamp":\{"seconds":\d{10},"microseconds":\d+\},"event":"RESUME"\}\n$/);
  });

  it('names each target it cannot connect to in one error line, watches the others, exits 2', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    const silent = await fake(() => undefined);
    const missing = `unix:${join(tempDir(), 'none.sock')}`;
    const cli = events([missing, silent.target, q.target, '--timeout', '1']);
    await waitUntilConnected(q.target);
    await cli.waitForOutput(/no QMP greeting/, 'stderr');
    await runCli(['exec', second, 'stop']);
    await cli.waitForOutput(/"event":"STOP"/);
    expect(cli.child.exitCode).toBeNull();
    await runCli(['exec', second, 'quit']);
    const r = await cli.done;
    expect(r.code).toBe(2);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(namedLine(q.target, 'STOP'));
    expect(out[1]).toMatch(/^\{"target":"unix:[^"]+","timestamp":\{[^}]+\},"event":"SHUTDOWN","data":\{"guest":false,"reason":"host-qmp-quit"\}\}$/);
    const err = lines(r.stderr).sort();
    expect(err).toHaveLength(3);
    // After `quit` QEMU may reset the socket rather than close it: both are a normal end.
    expect(err[0]?.startsWith(`closed: ${q.target}: connection `)).toBe(true);
    expect(err[1]).toMatch(new RegExp(`^error: ${silent.target}: no QMP greeting`));
    expect(err[2]?.startsWith(`error: ${missing}: `)).toBe(true);
  });

  it('says when each target closes and exits 0 once all have', async () => {
    const [a, b] = await Promise.all([qemuWithTwoMonitors(), qemuWithTwoMonitors()]);
    const cli = events([a.q.target, b.q.target]);
    await Promise.all([waitUntilConnected(a.q.target), waitUntilConnected(b.q.target)]);
    await a.q.kill();
    await cli.waitForOutput(/^closed: /m, 'stderr');
    expect(cli.child.exitCode).toBeNull();
    await b.q.kill();
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([`closed: ${a.q.target}: connection closed by QEMU (EOF)`, `closed: ${b.q.target}: connection closed by QEMU (EOF)`]);
  });

  it('fails (exit 2) for a target that dies mid-event, without stopping the others', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    let peerSocket: Socket | undefined;
    const f = await fake(scriptedPeer(() => undefined, (s) => (peerSocket = s)));
    const cli = events([f.target, q.target]);
    await waitUntilConnected(q.target);
    await waitFor(() => peerSocket !== undefined, 'the CLI to negotiate');
    peerSocket!.end('{"timestamp": {"seconds": 1, "micro');
    await cli.waitForOutput(/half-received message/, 'stderr');
    await runCli(['exec', second, 'stop']);
    await cli.waitForOutput(/"event":"STOP"/);
    await q.kill();
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(namedLine(q.target, 'STOP'))]);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: ${f.target}: .*half-received message`)), `closed: ${q.target}: connection closed by QEMU (EOF)`]);
  });

  it('--pretty indents each event over several lines, big integers exact', async () => {
    const { q, second } = await qemuWithTwoMonitors();
    let peerSocket: Socket | undefined;
    const f = await fake(scriptedPeer(() => undefined, (s) => (peerSocket = s)));
    const cli = events([f.target, q.target, '--pretty', '--count', '2']);
    await waitUntilConnected(q.target);
    await waitFor(() => peerSocket !== undefined, 'the CLI to negotiate');
    peerSocket!.write('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "BLOCK_JOB_READY", "data": {"len": 18446744073709551615}}\r\n');
    await cli.waitForOutput(/18446744073709551615/);
    await runCli(['exec', second, 'stop']);
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^\\{\\n  "target": "${f.target}",\\n  "timestamp": \\{\\n    "seconds": 1,\\n    "microseconds": 2\\n  \\},\\n  "event": "BLOCK_JOB_READY",\\n  "data": \\{\\n    "len": 18446744073709551615\\n  \\}\\n\\}\\n` +
          `\\{\\n  "target": "${q.target.replace(/[.]/g, '\\.')}",\\n  "timestamp": \\{\\n    "seconds": \\d{10},\\n    "microseconds": \\d+\\n  \\},\\n  "event": "STOP"\\n\\}\\n$`,
      ),
    );
  });

  it('refuses the same TARGET twice or a bad one among several, before connecting', async () => {
    const twice = await runCli(['events', 'h:1', 'h:1']);
    expect(twice.code).toBe(2);
    expect(lines(twice.stderr)).toEqual(["error: TARGET 'h:1' given twice", expect.stringMatching(/^usage: /)]);
    const bad = await runCli(['events', 'unix:/nonexistent/a.sock', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^error: bad TARGET 'nonsense'/), expect.stringMatching(/^usage: /)]);
  });
});
