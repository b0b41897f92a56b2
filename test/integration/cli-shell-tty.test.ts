import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, spawnCliInPty, type CliProcess } from '../support/cli';
import { killAllQemu, makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';

let qemus: TestQemu[] = [];
const clis: CliProcess[] = [];

beforeAll(buildCli, 60_000);
afterEach(async () => {
  for (const c of clis.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await Promise.all(qemus.map((q) => q.kill()));
  qemus = [];
});
afterAll(killAllQemu);

/** Terminal output without ANSI escapes and carriage returns, so tests can match text. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

describe('qmp-monitor shell on a terminal', () => {
  it('prompts, completes command names with Tab, prints replies and events, keeps history', async () => {
    const q = await qemu();
    const history = join(makeTempDir(), 'history');
    const cli = spawnCliInPty(['shell', q.target], { QMP_MONITOR_HISTORY: history });
    clis.push(cli);
    const waitScreen = (pattern: RegExp): Promise<void> => screenShows(cli, pattern);
    const type = (keys: string): void => void cli.child.stdin!.write(keys);

    await waitScreen(/Connected to QEMU 7\.\d+\.\d+[^\n]*\n\(QEMU\) $/);
    // Keys are typed one burst at a time: readline only completes on a Tab that ends its chunk.
    type('query-kv');
    await waitScreen(/\(QEMU\) query-kv$/);
    type('\t');
    await waitScreen(/\(QEMU\) query-kvm$/);
    type('\r');
    await waitScreen(/"present": true\n {2}\}\n\}\n\(QEMU\) $/);
    expect(plain(cli.stdout())).toMatch(/\{\n {2}"return": \{\n {4}"enabled": false,\n {4}"present": true\n {2}\}\n\}/);

    type('stop\r');
    await waitScreen(/"event":"STOP"/);
    await waitScreen(/"return": \{\}\n}\n\(QEMU\) $/);

    type('%%% nonsense\r');
    await waitScreen(/error: ParseError: [^\n]*\n\(QEMU\) $/);

    type('\x04'); // Ctrl-D on an empty line ends the session
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(readFileSync(history, 'utf8').split('\n')).toEqual(['query-kvm', 'stop', '%%% nonsense', '']);
  });

  it('offers history from earlier sessions with the Up arrow', async () => {
    const q = await qemu({ name: 'hist-vm' });
    const dir = makeTempDir();
    const history = join(dir, 'history');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(history, 'query-status\nquery-name\n');
    const cli = spawnCliInPty(['shell', q.target], { QMP_MONITOR_HISTORY: history });
    clis.push(cli);
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('\x1b[A');
    await screenShows(cli, /\(QEMU\) query-name$/);
    cli.child.stdin!.write('\r');
    await screenShows(cli, /"name": "hist-vm"/);
    cli.child.stdin!.write('\x04');
    expect((await cli.done).code).toBe(0);
  });
});

/** Waits until the terminal text (escapes removed) matches, with the screen in the failure message. */
describe('qmp-monitor shell on a terminal, ending', () => {
  it('exits 2 with an error line when QEMU dies under the prompt', async () => {
    const q = await qemu();
    const cli = spawnCliInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(makeTempDir(), 'h') });
    clis.push(cli);
    await screenShows(cli, /\(QEMU\) $/);
    await q.kill();
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(plain(r.stdout)).toMatch(/error: connection lost: [^\n]*EOF/);
  });

  it('exits 0 when QEMU closes after an answered quit', async () => {
    const q = await qemu();
    const cli = spawnCliInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(makeTempDir(), 'h') });
    clis.push(cli);
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('quit\r');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toMatch(/"return": \{\}\n\}\n[^]*QEMU closed the connection after quit\.\n$/);
  });

  it('clears a half-typed line on Ctrl-C and quits on Ctrl-C at an empty prompt', async () => {
    const q = await qemu();
    const cli = spawnCliInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(makeTempDir(), 'h') });
    clis.push(cli);
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('query-sta');
    await screenShows(cli, /\(QEMU\) query-sta$/);
    cli.child.stdin!.write('\x03');
    await screenShows(cli, /\(QEMU\) query-sta\^C\n\(QEMU\) $/);
    cli.child.stdin!.write('\x03');
    expect((await cli.done).code).toBe(0);
  });
});

async function screenShows(cli: CliProcess, pattern: RegExp): Promise<void> {
  await waitFor(() => pattern.test(plain(cli.stdout())), `the terminal to show ${pattern}; it shows:\n${plain(cli.stdout())}`, 15_000).catch(() => {
    throw new Error(`the terminal never showed ${pattern}; it shows:\n${plain(cli.stdout())}`);
  });
}

async function qemu(options: Parameters<typeof startQemu>[0] = {}): Promise<TestQemu> {
  const q = await startQemu(options);
  qemus.push(q);
  return q;
}
