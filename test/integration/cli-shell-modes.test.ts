import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../electron/common/wire-recording';
import { jsonLines, useCliFixture } from '../support/cli';

const { qemu, run: runCli, tempDir } = useCliFixture();

/** The commands a recording shows were sent, as parsed JSON. */
function sentCommands(recordingPath: string): { execute: string; arguments?: Record<string, unknown> }[] {
  const { entries, badLines } = parseRecording(readFileSync(recordingPath, 'utf8'));
  expect(badLines).toEqual([]);
  return entries.filter((e) => e.dir === 'out').map((e) => JSON.parse(e.text) as { execute: string; arguments?: Record<string, unknown> });
}

describe('qmp-monitor TARGET, piped, with qmp-shell options', () => {
  it('opens the shell for a lone TARGET; -H sends HMP lines and prints their text with line ends handled', async () => {
    const q = await qemu({ machine: 'pc' });
    const r = await runCli(['-H', q.target], 'info status\nstop\n\ninfo version\nnosuchhmp\n');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\r/);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('VM status: paused (prelaunch)');
    // `stop` prints nothing, as in qmp-shell -H; the version is the next line.
    expect(lines[1]).toMatch(/^7\.2\.\d+/);
    // HMP answers an unknown command with a text, not an error.
    expect(r.stdout).toMatch(/unknown command: 'nosuchhmp'/);
  });

  it('-p indents each reply; -v echoes each command exactly as sent (stderr when piped)', async () => {
    const q = await qemu({ name: 'pretty-vm' });
    const r = await runCli([q.target, '-p', '-v'], 'query-name\n{"execute": "query-name", "id": "mine"}\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{\n  "return": {\n    "name": "pretty-vm"\n  }\n}\n{\n  "return": {\n    "name": "pretty-vm"\n  },\n  "id": "mine"\n}\n');
    const echoed = r.stderr.split('\n').filter((l) => l !== '');
    expect(echoed).toHaveLength(2);
    for (const line of echoed) expect(JSON.parse(line)).toMatchObject({ execute: 'query-name', id: expect.any(Number) });
  });

  it('-l FILE logs each command merged with its reply, one JSON object a line, appended', async () => {
    const q = await qemu({ name: 'log-vm' });
    const log = join(tempDir(), 'shell.log');
    await runCli(['shell', q.target, '-l', log], 'query-name\n');
    const r = await runCli(['shell', q.target, '--log', log], 'query-status\ndevice_del id=nothing\n');
    expect(r.code).toBe(0);
    expect(jsonLines(readFileSync(log, 'utf8'))).toEqual([
      { execute: 'query-name', return: { name: 'log-vm' } },
      { execute: 'query-status', return: { status: 'running', singlestep: false, running: true } },
      { execute: 'device_del', arguments: { id: 'nothing' }, error: { class: 'DeviceNotFound', desc: "Device 'nothing' not found" } },
    ]);
  });

  it('sends a transaction( block as one transaction command, each line an action in shorthand', async () => {
    const q = await qemu({ extraArgs: ['-blockdev', 'driver=null-co,node-name=d0'] });
    const recording = join(tempDir(), 'rec.jsonl');
    const input = [
      'transaction(',
      'block-dirty-bitmap-add node=d0 name=b1',
      '# comments and blank lines inside are skipped',
      '',
      'block-dirty-bitmap-add node=d0 name=b2 granularity=65536',
      ')',
      'transaction( abort',
      ')',
      'transaction(',
      'not an action=',
      ') trailing',
      'transaction(',
      'abort',
    ].join('\n');
    const r = await runCli(['shell', q.target, '--record', recording], `${input}\n`);
    expect(r.code).toBe(0);
    const out = jsonLines(r.stdout) as { return?: unknown; error?: { class: string; desc: string } }[];
    expect(out[0]).toEqual({ return: {} });
    expect(out[1]).toEqual({ error: { class: 'GenericError', desc: 'Transaction aborted using Abort action' } });
    expect(out[2]?.error?.class).toBe('ParseError'); // the bad action line; the block stays open
    expect(out[3]?.error?.desc).toMatch(/unexpected 'trailing' after the '\)'.*nothing was sent/);
    expect(out[4]?.error?.desc).toMatch(/input ended inside 'transaction\('.*nothing was sent/);
    expect(out).toHaveLength(5);
    const transactions = sentCommands(recording).filter((c) => c.execute === 'transaction');
    expect(transactions.map((c) => c.arguments)).toEqual([
      {
        actions: [
          { type: 'block-dirty-bitmap-add', data: { node: 'd0', name: 'b1' } },
          { type: 'block-dirty-bitmap-add', data: { node: 'd0', name: 'b2', granularity: 65536 } },
        ],
      },
      { actions: [{ type: 'abort', data: {} }] },
    ]);
  });
});

describe('qmp-monitor shell --check (piped)', () => {
  it('refuses an unknown argument and a missing required one without sending them; valid lines still go', async () => {
    const q = await qemu();
    const recording = join(tempDir(), 'rec.jsonl');
    const r = await runCli(['shell', q.target, '--check', '--record', recording], 'query-status bogus=1\ndevice_del\nquery-name\n');
    expect(r.code).toBe(0);
    const out = jsonLines(r.stdout) as { return?: unknown; error?: { class: string; desc: string } }[];
    expect(out[0]?.error?.class).toBe('CheckError');
    expect(out[0]?.error?.desc).toMatch(/not sent: .*bogus/);
    expect(out[1]?.error?.class).toBe('CheckError');
    expect(out[1]?.error?.desc).toMatch(/not sent: .*'id'/);
    expect(out[2]).toEqual({ return: {} });
    // What reached QEMU: the negotiation, the schema read and query-name, nothing else.
    expect(sentCommands(recording).map((c) => c.execute)).toEqual(['qmp_capabilities', 'query-qmp-schema', 'query-name']);
  });

  it('sends a !-prefixed command out of band; --check refuses one whose command does not allow OOB', async () => {
    const q = await qemu();
    const r = await runCli(['shell', q.target, '--check', '-v'], '!query-yank\n!query-status\n');
    expect(jsonLines(r.stdout)).toEqual([{ return: [{ id: 'compat_monitor0', type: 'chardev' }] }, { error: { class: 'CheckError', desc: expect.stringMatching(/^not sent: .*o(ut of band|ob)/i) as unknown } }]);
    expect(r.stderr).toMatch(/^\{"exec-oob":"query-yank","id":\d+\}$/m);
  });

  it('without --check, an invalid line still goes to QEMU, which is the judge', async () => {
    const q = await qemu();
    const r = await runCli(['shell', q.target], 'query-status bogus=1\n');
    expect(jsonLines(r.stdout)).toEqual([{ error: { class: 'GenericError', desc: "Parameter 'bogus' is unexpected" } }]);
  });
});
