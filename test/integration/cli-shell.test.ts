import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, jsonLines, runCli, scriptedPeer, spawnCli, startFakePeer, type CliProcess, type FakePeer } from '../support/cli';
import { killAllQemu, makeTempDir, startQemu, type TestQemu } from '../support/qemu';

let qemus: TestQemu[] = [];
let fakes: FakePeer[] = [];
const clis: CliProcess[] = [];

beforeAll(buildCli, 60_000);
afterEach(async () => {
  for (const c of clis.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await Promise.all(qemus.map((q) => q.kill()));
  await Promise.all(fakes.map((f) => f.close()));
  qemus = [];
  fakes = [];
});
afterAll(killAllQemu);

async function qemu(options: Parameters<typeof startQemu>[0] = {}): Promise<TestQemu> {
  const q = await startQemu(options);
  qemus.push(q);
  return q;
}

function shell(args: string[]): CliProcess {
  const cli = spawnCli(['shell', ...args]);
  clis.push(cli);
  return cli;
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
      { return: { name: 'vm-a' }, id: 12345678901234567890 },
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
    const f = await startFakePeer(scriptedPeer((s, c) => (c.execute === 'query-a' ? s.write(`{"return": 1, "id": ${JSON.stringify(c.id)}}\r\n`) : s.end('{"return": {"trunc'))));
    fakes.push(f);
    const cli = shell([f.target]);
    cli.child.stdin!.write('query-a\nquery-b\n');
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(jsonLines(r.stdout)).toEqual([{ return: 1 }, { error: { class: 'ConnectionError', desc: expect.stringMatching(/query-b/) } }]);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^error: connection lost: /)]);
  });

  it('applies --timeout to each reply and carries on', async () => {
    const f = await startFakePeer(scriptedPeer((s, c) => c.execute !== 'hang' && s.write(`{"return": "${c.execute}", "id": ${JSON.stringify(c.id)}}\r\n`)));
    fakes.push(f);
    const r = await runCli(['shell', f.target, '--timeout', '0.5'], 'one\nhang\ntwo\n');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ return: 'one' }, { error: { class: 'Timeout', desc: expect.stringMatching(/hang/) } }, { return: 'two' }]);
  });

  it('sends big integers from JSON and shorthand lines with their exact digits', async () => {
    const f = await startFakePeer(scriptedPeer((s, c, raw) => s.write(`{"return": ${JSON.stringify(raw)}, "id": ${JSON.stringify(c.id)}}\r\n`)));
    fakes.push(f);
    const r = await runCli(['shell', f.target], '{"execute": "a", "arguments": {"n": 12345678901234567890}}\nb n=12345678901234567890 o.p=-9223372036854775808\n');
    expect(r.code).toBe(0);
    const [a, b] = jsonLines(r.stdout) as { return: string }[];
    expect(a!.return).toContain('"arguments":{"n":12345678901234567890}');
    expect(b!.return).toContain('"arguments":{"n":12345678901234567890,"o":{"p":-9223372036854775808}}');
  });

  it('fails with exit 2 and one error line when it cannot connect', async () => {
    const r = await runCli(['shell', join(makeTempDir(), 'none.sock')], 'query-status\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]*none\.sock[^\n]*\n$/);
  });
});
