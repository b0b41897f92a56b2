import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GREETING, scriptedPeer, useCliFixture } from '../support/cli';
import { waitFor } from '../support/qemu';

/** Exit within --timeout plus this much (node start-up and a loaded 2-core machine). */
const MARGIN_MS = 3000;

const { qemu, fake, run: runCli, tempDir } = useCliFixture();
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

/** stderr holds exactly one line, starting with `error:` and no stack frame. */
function expectOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('qmp-monitor exec against real QEMU', () => {
  it('prints query-status as one JSON line and exits 0', async () => {
    const q = await qemu();
    const r = await runCli(['exec', q.target, 'query-status']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'running', running: true });
  });

  it('prints only the return value, not the event the command caused', async () => {
    const q = await qemu();
    const r = await runCli(['exec', q.target, 'stop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{}\n');
    expect(r.stderr).toBe('');
    const after = await runCli(['exec', q.target, 'query-status']);
    expect(JSON.parse(after.stdout)).toMatchObject({ status: 'paused', running: false });
  });

  it('reports an unknown command as "error: CommandNotFound: ..." with exit 1', async () => {
    const q = await qemu();
    const r = await runCli(['exec', q.target, 'no-such-command']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: CommandNotFound: The command no-such-command has not been found\n');
  });

  it('passes ARGS_JSON (human-monitor-command) and accepts options before the subcommand', async () => {
    const q = await qemu({ machine: 'pc' });
    const r = await runCli(['--timeout', '5', 'exec', q.socketPath!, 'human-monitor-command', '{"command-line":"info status"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toBe('VM status: paused (prelaunch)\r\n');
  });

  it('indents with --pretty and reads a pretty=on monitor', async () => {
    const q = await qemu({ pretty: true, name: 'pretty-vm' });
    const r = await runCli(['exec', q.target, 'query-name', '--pretty']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{\n  "name": "pretty-vm"\n}\n');
  });

  it('talks TCP, given as HOST:PORT', async () => {
    const q = await qemu({ transport: 'tcp', name: 'tcp-vm' });
    const r = await runCli(['exec', `127.0.0.1:${q.port}`, 'query-name']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'tcp-vm' });
  });

  it('reports a QEMU error for bad arguments with exit 1 and keeps big integers in ARGS_JSON exact', async () => {
    const q = await qemu();
    const r = await runCli(['exec', q.target, 'query-status', '{"bogus": 12345678901234567890}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: GenericError: Parameter 'bogus' is unexpected\n");
  });

  it('refuses ARGS_JSON with a lone surrogate with one error line and exit 2, before QEMU sees it', async () => {
    const q = await qemu({ name: 'surrogate' });
    const r = await runCli(['exec', q.target, 'human-monitor-command', '{"command-line": "info \\udc00"}', '--timeout', '5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneErrorLine(r.stderr, /^error: cannot send "human-monitor-command": arguments\["command-line"\] holds a lone UTF-16 surrogate/);
    expect(r.ms).toBeLessThan(5000);
    expect(JSON.parse((await runCli(['exec', q.target, 'query-name'])).stdout)).toEqual({ name: 'surrogate' });
  });

  it('times out with one error line when another client holds the monitor', async () => {
    const q = await qemu();
    const holder = connect(q.socketPath!);
    sockets.push(holder);
    let greeted = '';
    holder.setEncoding('utf8').on('data', (d: string) => (greeted += d));
    await waitFor(() => greeted.includes('QMP'), 'the first client to be greeted');
    const r = await runCli(['exec', q.target, 'query-status', '--timeout', '1']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /another client may hold the monitor/);
    expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
  });
});

describe('qmp-monitor exec failures', () => {
  it('fails with one line and exit 2 when the socket does not exist', async () => {
    const dir = tempDir();
    const r = await runCli(['exec', `${dir}/missing.sock`, 'query-status']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneErrorLine(r.stderr, /missing\.sock/);
  });

  it('fails with one line and exit 2 when the connection is refused', async () => {
    const f = await fake(() => undefined);
    const target = f.target;
    await f.close();
    const r = await runCli(['exec', target, 'query-status']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /refused/);
  });

  it.each([0.5, 2])('gives up on a peer that never greets within --timeout %s', async (seconds) => {
    const f = await fake(() => undefined);
    const r = await runCli(['exec', f.target, 'query-status', '--timeout', String(seconds)]);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /greeting|timed out/);
    expect(r.ms).toBeGreaterThanOrEqual(seconds * 1000 - 50);
    expect(r.ms).toBeLessThan(seconds * 1000 + MARGIN_MS);
  });

  it('bounds the whole run: a greeting that comes, then no reply', async () => {
    const f = await fake(scriptedPeer(() => undefined));
    const r = await runCli(['exec', f.target, 'query-status', '--timeout', '1']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /query-status/);
    expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
  });

  it('bounds the whole run when the peer stalls during negotiation', async () => {
    const f = await fake((s) => s.write(GREETING));
    const r = await runCli(['exec', f.target, 'query-status', '--timeout', '1']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /qmp_capabilities|timed out/);
    expect(r.ms).toBeLessThan(1000 + MARGIN_MS);
  });

  it('reports garbage bytes as a protocol error', async () => {
    const f = await fake((s) => s.write('this is not QMP\r\n'));
    const r = await runCli(['exec', f.target, 'query-status']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /.+/);
  });

  it('reports a reply cut off mid-message by the peer closing', async () => {
    const f = await fake(scriptedPeer((s) => s.end('{"return": {"status": "runn')));
    const r = await runCli(['exec', f.target, 'query-status']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneErrorLine(r.stderr, /query-status|closed|EOF|connection/i);
  });

  it('refuses a reply larger than --max-message-bytes', async () => {
    const big = 'x'.repeat(100_000);
    const f = await fake(scriptedPeer((s, c) => s.write(`{"return": "${big}", "id": ${JSON.stringify(c.id)}}\r\n`)));
    const ok = await runCli(['exec', f.target, 'query-big']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveLength(100_000);
    const r = await runCli(['exec', f.target, 'query-big', '--max-message-bytes', '65536']);
    expect(r.code).toBe(2);
    expectOneErrorLine(r.stderr, /65536/);
  });

  it('prints a 20-digit integer from a reply with its exact digits', async () => {
    const f = await fake(scriptedPeer((s, c) => s.write(`{"return": {"n": 12345678901234567890, "m": -9223372036854775807}, "id": ${JSON.stringify(c.id)}}\r\n`)));
    const r = await runCli(['exec', f.target, 'query-big']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"n":12345678901234567890,"m":-9223372036854775807}\n');
  });

  it('reaches an IPv6 target written as [::1]:PORT', async () => {
    const f = await fake(scriptedPeer((s, c) => s.write(`{"return": {"via": "ipv6"}, "id": ${JSON.stringify(c.id)}}\r\n`)), '::1');
    const r = await runCli(['exec', f.target.slice('tcp:'.length), 'query-anything']);
    expect(f.target).toMatch(/^tcp:\[::1\]:\d+$/);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"via":"ipv6"}\n');
  });

  it('sends a 20-digit integer from ARGS_JSON with its exact digits', async () => {
    const f = await fake(scriptedPeer((s, c, raw) => s.write(`{"return": ${JSON.stringify(raw)}, "id": ${JSON.stringify(c.id)}}\r\n`)));
    const r = await runCli(['exec', f.target, 'set-thing', '{"id": 12345678901234567890, "neg": -9223372036854775808}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toContain('"arguments":{"id":12345678901234567890,"neg":-9223372036854775808}');
  });
});

describe('qmp-monitor usage', () => {
  it.each([
    [['exec'], /missing TARGET/],
    [['exec', 'unix:/x'], /missing COMMAND/],
    [['frob', 'unix:/x'], /unknown subcommand/],
    [['exec', 'unix:/x', 'stop', '--frob'], /unknown option --frob/],
    [['exec', 'unix:/x', 'stop', '[1]'], /JSON object/],
    [['exec', 'unix:/x', 'stop', '--timeout', 'soon'], /--timeout/],
    [['exec', 'nonsense', 'stop'], /bad TARGET/],
    [['exec', 'unix:/x', 'q'.repeat(129)], /^error: bad COMMAND: command name too long \(129 characters; at most 128\)$/],
    [['exec', 'unix:/x', 'query status'], /^error: bad COMMAND: 'query status' is not a QMP command name/],
    [[], /missing subcommand/],
  ])('%j: error plus usage hint, exit 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, hint] = r.stderr.split('\n');
    expect(first).toMatch(/^error: /);
    expect(first).toMatch(message);
    expect(hint).toMatch(/^usage: qmp-monitor/);
  });

  it('prints help on stdout and exits 0', async () => {
    const r = await runCli(['exec', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/qmp-monitor exec TARGET COMMAND \[ARGS_JSON \| KEY=VALUE\.\.\.\] \[--pretty\]/);
    expect(r.stdout).toMatch(/events: bounds connecting only/);
  });

  it('prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^qmp-monitor \d+\.\d+\.\d+\n$/);
  });
});
