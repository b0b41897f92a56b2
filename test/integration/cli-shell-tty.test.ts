import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliFixture, type CliProcess } from '../support/cli';
import { renderScreen } from '../support/cli-screen';
import { waitFor } from '../support/qemu';

const { qemu, spawnInPty, run: runCli, tempDir } = useCliFixture();

/** Terminal output without ANSI escapes and carriage returns, so tests can match text. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

describe('qmp-monitor shell on a terminal', () => {
  it('prompts, completes command names with Tab, prints replies and events, keeps history', async () => {
    const q = await qemu();
    const history = join(tempDir(), 'history');
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: history });
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
    const dir = tempDir();
    const history = join(dir, 'history');
    writeFileSync(history, 'query-status\nquery-name\n');
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: history });
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('\x1b[A');
    await screenShows(cli, /\(QEMU\) query-name$/);
    cli.child.stdin!.write('\r');
    await screenShows(cli, /"name": "hist-vm"/);
    cli.child.stdin!.write('\x04');
    expect((await cli.done).code).toBe(0);
  });
});

describe('qmp-monitor shell on a terminal, ending', () => {
  it('exits 2 with an error line when QEMU dies under the prompt', async () => {
    const q = await qemu();
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(tempDir(), 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    await q.kill();
    const r = await cli.done;
    expect(r.code).toBe(2);
    expect(plain(r.stdout)).toMatch(/error: connection lost: [^\n]*EOF/);
  });

  it('exits 0 when QEMU closes after an answered quit', async () => {
    const q = await qemu();
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(tempDir(), 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('quit\r');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toMatch(/"return": \{\}\n\}\n[^]*QEMU closed the connection after quit\.\n$/);
  });

  it('clears the line on Ctrl-C, typed or empty, and goes on; Ctrl-D quits', async () => {
    const q = await qemu({ name: 'ctrl-c' });
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(tempDir(), 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('query-sta');
    await screenShows(cli, /\(QEMU\) query-sta$/);
    cli.child.stdin!.write('\x03');
    await screenShows(cli, /\(QEMU\) query-sta\^C\n\(QEMU\) $/);
    cli.child.stdin!.write('\x03');
    await screenRows(cli, (rows) => rows.slice(-3).join('\n') === '(QEMU) query-sta^C\n(QEMU) ^C\n(QEMU) ');
    cli.child.stdin!.write('query-name\r');
    await screenShows(cli, /"name": "ctrl-c"\n {2}\}\n\}\n\(QEMU\) $/);
    expect(cli.child.exitCode).toBeNull();
    cli.child.stdin!.write('\x04');
    expect((await cli.done).code).toBe(0);
  });
});

describe('qmp-monitor shell on a terminal, with events', () => {
  it('prints the STOP event of its own stop on a row of its own, then the reply, then the prompt with what was typed ahead', async () => {
    const q = await qemu();
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(tempDir(), 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    // Typed ahead in one burst: the partial line is there while the command runs.
    cli.child.stdin!.write('stop\rquery-sta');
    await screenRows(cli, (rows) => rows.at(-1) === '(QEMU) query-sta' && rows.some((r) => r.includes('"event":"STOP"')) && rows.includes('}'));
    const { rows, cursor } = renderScreen(cli.stdout());
    const event = rows.findIndex((r) => r.includes('"event":"STOP"'));
    expect(rows[event], rows.join('\n')).toMatch(/^\{"timestamp":\{"seconds":\d+,"microseconds":\d+\},"event":"STOP"\}$/);
    expect(rows.filter((r) => r.startsWith('(QEMU) ') && r !== '(QEMU) query-sta'), rows.join('\n')).toEqual(['(QEMU) stop']);
    expect(rows.slice(-4), rows.join('\n')).toEqual(['{', '  "return": {}', '}', '(QEMU) query-sta']);
    expect(cursor).toEqual({ row: rows.length - 1, col: '(QEMU) query-sta'.length });
    // The typed-ahead text is still the line readline will send.
    cli.child.stdin!.write('tus\r');
    await screenShows(cli, /"status": "paused"[^]*\n\(QEMU\) $/);
  });

  it('prints an event that arrives at the prompt above it and redraws the half-typed line', async () => {
    const dir = tempDir();
    const second = join(dir, 'qmp2.sock');
    const q = await qemu({ dir, extraArgs: ['-qmp', `unix:${second},server=on,wait=off`] });
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(dir, 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write('query-na');
    await screenShows(cli, /\(QEMU\) query-na$/);
    expect((await runCli(['exec', `unix:${second}`, 'stop'])).code).toBe(0);
    await screenRows(cli, (rows) => rows.some((r) => r.includes('"event":"STOP"')));
    const { rows, cursor } = renderScreen(cli.stdout());
    expect(rows.slice(-2)[0], rows.join('\n')).toMatch(/^\{"timestamp":[^\n]*"event":"STOP"\}$/);
    expect(rows.at(-1)).toBe('(QEMU) query-na');
    expect(rows.filter((r) => r.includes('query-na')), rows.join('\n')).toEqual(['(QEMU) query-na']);
    expect(cursor).toEqual({ row: rows.length - 1, col: '(QEMU) query-na'.length });
    cli.child.stdin!.write('me\r');
    await screenShows(cli, /"return": \{\}\n\}\n\(QEMU\) $/);
  });

  it('refuses a command name past 128 characters without sending it, and goes on', async () => {
    const q = await qemu({ name: 'long' });
    const cli = spawnInPty(['shell', q.target], { QMP_MONITOR_HISTORY: join(tempDir(), 'h') });
    await screenShows(cli, /\(QEMU\) $/);
    cli.child.stdin!.write(`${'x'.repeat(200)}\r`);
    await screenShows(cli, /error: ParseError: command name too long \(200 characters; at most 128\)\n\(QEMU\) $/);
    cli.child.stdin!.write('query-name\r');
    await screenShows(cli, /"name": "long"\n {2}\}\n\}\n\(QEMU\) $/);
  });
});

/** Waits until the rows a person would see pass `check`, with the screen in the failure message. */
async function screenRows(cli: CliProcess, check: (rows: readonly string[]) => boolean): Promise<void> {
  await waitFor(() => check(renderScreen(cli.stdout()).rows), 'the screen', 15_000).catch(() => {
    throw new Error(`the terminal never showed what was expected; it shows:\n${renderScreen(cli.stdout()).text}`);
  });
}

/** Waits until the screen's text (rows joined by newlines) matches, with the screen in the failure message. */
async function screenShows(cli: CliProcess, pattern: RegExp): Promise<void> {
  await waitFor(() => pattern.test(renderScreen(cli.stdout()).text), 'the screen', 15_000).catch(() => {
    throw new Error(`the terminal never showed ${pattern}; it shows:\n${renderScreen(cli.stdout()).text}`);
  });
}
