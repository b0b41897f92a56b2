import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, scriptedPeer, useCliFixture, type CliProcess } from '../support/cli';

const { qemu, fake, spawn, run: runCli, tempDir } = useCliFixture();

function shell(args: string[]): CliProcess {
  return spawn(['shell', ...args]);
}

const STATUS = { status: 'running', singlestep: false, running: true };

describe('qmp-monitor shell without a TTY', () => {
  it('answers JSON and shorthand lines in order, one JSON line each, skipping blanks and comments', async () => {
    const q = await qemu({ name: 'vm-a' });
    const input = [
      '# a comment',
      'query-status',
      '',
      '{"execute": "query-name"}',
      '%%% garbage',
      '   ',
      'human-monitor-command command-line="info status"',
      '{"execute": "query-name", "id": 12345678901234567890}',
      'no-such-command',
      '{"execute": ',
      'query-status bogus=1',
    ].join('\n');
    const r = await runCli(['shell', q.target], `${input}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines[4]).toBe('{"return":{"name":"vm-a"},"id":12345678901234567890}');
    expect(jsonLines(r.stdout)).toEqual([
      { return: STATUS },
      { return: { name: 'vm-a' } },
      { error: { class: 'ParseError', desc: expect.stringMatching(/not a command name/) } },
      { return: 'VM status: running\r\n' },
      // The exact digits are checked on the raw line above; JSON.parse rounds them.
      { return: { name: 'vm-a' }, id: Number('12345678901234567890') },
      { error: { class: 'CommandNotFound', desc: 'The command no-such-command has not been found' } },
      { error: { class: 'ParseError', desc: expect.stringMatching(/not valid JSON/) } },
      { error: { class: 'GenericError', desc: "Parameter 'bogus' is unexpected" } },
    ]);
  });

  it('runs exec-oob lines out of band and exits 0 on empty input', async () => {
    const q = await qemu();
    const r = await runCli(['shell', q.target], '{"exec-oob": "query-yank", "id": "y1"}\n{"exec-oob": "query-status"}\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { return: expect.any(Array), id: 'y1' },
      { error: { class: 'GenericError', desc: 'The command query-status does not support OOB' } },
    ]);
    const empty = await runCli(['shell', q.target], '');
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('keeps input order for hundreds of pipelined commands', async () => {
    const q = await qemu({ name: 'vm-b' });
    const count = 600;
    const input = Array.from({ length: count }, (_, i) =>
      i % 3 === 0 ? `{"execute": "query-name", "id": ${i}}` : i % 3 === 1 ? `{"execute": "nope-${i}", "id": ${i}}` : `{"execute": "query-status", "id": ${i}}`,
    ).join('\n');
    const r = await runCli(['shell', q.target], input); // no final newline: the last line still counts
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as { id: number; return?: unknown; error?: { class: string } }[];
    expect(lines).toHaveLength(count);
    lines.forEach((line, i) => {
      expect(line.id).toBe(i);
      if (i % 3 === 1) expect(line.error?.class).toBe('CommandNotFound');
      else expect(line.return).toEqual(i % 3 === 0 ? { name: 'vm-b' } : STATUS);
    });
  });

  it('prints events on stderr, replies on stdout, over TCP', async () => {
    const q = await qemu({ transport: 'tcp' });
    const r = await runCli(['shell', `tcp:127.0.0.1:${q.port}`], 'stop\ncont\nquery-status\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ return: {} }, { return: {} }, { return: STATUS }]);
    expect((jsonLines(r.stderr) as { event: string }[]).map((e) => e.event)).toEqual(['STOP', 'RESUME']);
  });

  it('reads a pretty=on monitor', async () => {
    const q = await qemu({ pretty: true, name: 'pretty' });
    const r = await runCli(['shell', q.target], 'query-name\nquery-status\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ return: { name: 'pretty' } }, { return: STATUS }]);
  });

  it('exits 0 after quit, once QEMU closed the monitor as asked', async () => {
    const q = await qemu();
    const r = await runCli(['shell', q.target], 'query-status\nquit\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ return: STATUS }, { return: {} }]);
    expect(jsonLines(r.stderr)).toEqual([expect.objectContaining({ event: 'SHUTDOWN' })]);
  });

  it('exits 2 with one error line when QEMU is killed mid-session', async () => {
    const q = await qemu();
    const cli = shell([q.target]);
    cli.child.stdin!.write('query-status\n');
    await cli.waitForOutput(/"return"/);
    await q.kill();
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(jsonLines(r.stdout)).toEqual([{ return: STATUS }]);
    expect(r.stderr).toMatch(/^error: connection lost: [^\n]*\n$/);
  });

  it('gives the pending command an error line when the peer dies mid-reply', async () => {
    const f = await fake(scriptedPeer((s, c) => (c.execute === 'query-a' ? s.write(`{"return": 1, "id": ${JSON.stringify(c.id)}}\r\n`) : s.end('{"return": {"trunc'))));
    const cli = shell([f.target]);
    cli.child.stdin!.write('query-a\nquery-b\n');
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(jsonLines(r.stdout)).toEqual([{ return: 1 }, { error: { class: 'ConnectionError', desc: expect.stringMatching(/query-b/) } }]);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^error: connection lost: /)]);
  });

  it('applies --timeout to each reply and carries on', async () => {
    const f = await fake(scriptedPeer((s, c) => c.execute !== 'hang' && s.write(`{"return": "${c.execute}", "id": ${JSON.stringify(c.id)}}\r\n`)));
    const r = await runCli(['shell', f.target, '--timeout', '0.5'], 'one\nhang\ntwo\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ return: 'one' }, { error: { class: 'Timeout', desc: expect.stringMatching(/hang/) } }, { return: 'two' }]);
  });

  it('sends big integers from JSON and shorthand lines with their exact digits', async () => {
    const f = await fake(scriptedPeer((s, c, raw) => s.write(`{"return": ${JSON.stringify(raw)}, "id": ${JSON.stringify(c.id)}}\r\n`)));
    const r = await runCli(['shell', f.target], '{"execute": "a", "arguments": {"n": 12345678901234567890}}\nb n=12345678901234567890 o.p=-9223372036854775808\n');
    expect(r.code).toBe(0);
    const [a, b] = jsonLines(r.stdout) as { return: string }[];
    expect(a!.return).toContain('"arguments":{"n":12345678901234567890}');
    expect(b!.return).toContain('"arguments":{"n":12345678901234567890,"o":{"p":-9223372036854775808}}');
  });

  it('answers a 100 MB line with one error line before the line ends, never holds it, never sends it, and goes on', async () => {
    const q = await qemu();
    const cli = shell([q.target]);
    const stdin = cli.child.stdin!;
    const write = (bytes: Buffer | string): Promise<void> => new Promise((resolve) => stdin.write(bytes, () => resolve()));
    const mib = Buffer.alloc(1024 * 1024, 'x');
    const qemuCpu = cpuTicks(q.pid);
    await write('query-name\n');
    // 2 MiB in, the line is past the bound: the error must come now, not when the line ends.
    await write(mib);
    await write(mib);
    await cli.waitForOutput(/line too long/);
    for (let i = 2; i < 100; i++) await write(mib);
    const peakRss = peakRssBytes(cli.child.pid!);
    stdin.end('\nquery-status\n');
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { return: {} },
      { error: { class: 'ParseError', desc: 'line too long (more than 1048576 bytes): skipped' } },
      { return: STATUS },
    ]);
    // Holding the line would take 100 MB at least; Node itself needs about 50.
    expect(peakRss).toBeLessThan(150 * 1024 * 1024);
    // Sending it cost QEMU tens of seconds of CPU (clock ticks are 1/100 s).
    expect(cpuTicks(q.pid) - qemuCpu).toBeLessThan(100);
  });

  it('refuses a long or malformed command name in JSON and shorthand without sending it', async () => {
    const q = await qemu({ name: 'names' });
    const long = 'q'.repeat(129);
    const r = await runCli(['shell', q.target], `${long}\n{"execute": "${long}"}\n{"execute": "query name"}\nquery-name\n`);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { error: { class: 'ParseError', desc: 'command name too long (129 characters; at most 128)' } },
      { error: { class: 'ParseError', desc: 'command name too long (129 characters; at most 128)' } },
      { error: { class: 'ParseError', desc: "'query name' is not a QMP command name (letters, digits, '-', '_' and '.')" } },
      { return: { name: 'names' } },
    ]);
  });

  it('refuses a lone surrogate in a JSON line with an error line of its own, and goes on', async () => {
    const q = await qemu({ name: 'surrogate' });
    const input = '{"execute": "human-monitor-command", "arguments": {"command-line": "info \\ud800"}, "id": "s"}\nquery-name\n';
    const r = await runCli(['shell', q.target, '--timeout', '5'], input);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { error: { class: 'ProtocolError', desc: expect.stringMatching(/arguments\["command-line"\] holds a lone UTF-16 surrogate/) }, id: 's' },
      { return: { name: 'surrogate' } },
    ]);
    expect(r.stderr).toBe('');
  });

  it('fails with exit 2 and one error line when it cannot connect', async () => {
    const r = await runCli(['shell', join(tempDir(), 'none.sock')], 'query-status\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]*none\.sock[^\n]*\n$/);
  });
});

/** User plus system CPU time of a process so far, in clock ticks (/proc/PID/stat). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Peak resident memory of a process so far (VmHWM in /proc/PID/status). */
function peakRssBytes(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(kb?.[1]) * 1024;
}
