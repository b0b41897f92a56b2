import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../electron/cli/args';
import { UsageError } from '../../../electron/cli/cli-errors';
import { stringifyJsonLossless } from '../../../electron/common/json-text';

describe('parseCliArgs: qmp-shell options and the implicit shell', () => {
  it('opens the shell for a lone TARGET, as qmp-shell SOCKET does', () => {
    expect(parseCliArgs(['/tmp/vm.sock'])).toMatchObject({ kind: 'shell', target: '/tmp/vm.sock', hmp: false });
    expect(parseCliArgs(['-H', 'tcp:127.0.0.1:4444'])).toMatchObject({ kind: 'shell', target: 'tcp:127.0.0.1:4444', hmp: true });
    expect(parseCliArgs(['localhost:4444', '-p'])).toMatchObject({ kind: 'shell', target: 'localhost:4444', pretty: true });
    // Not a target and not a subcommand: still called a subcommand, so a typo reads as one.
    expect(() => parseCliArgs(['exce', 'h:1'])).toThrow(/unknown subcommand 'exce'/);
  });

  it('reads -H, -p, -v, -l FILE and their long forms, alone or grouped', () => {
    const want = { kind: 'shell', hmp: true, pretty: true, verbose: true, log: '/tmp/log' };
    expect(parseCliArgs(['shell', 'h:1', '-H', '-p', '-v', '-l', '/tmp/log'])).toMatchObject(want);
    expect(parseCliArgs(['shell', 'h:1', '--hmp', '--pretty', '--verbose', '--log=/tmp/log'])).toMatchObject(want);
    expect(parseCliArgs(['-Hpv', '-l/tmp/log', 'h:1'])).toMatchObject(want);
    expect(parseCliArgs(['-Hpvl', '/tmp/log', 'h:1'])).toMatchObject(want);
    expect(parseCliArgs(['shell', 'h:1', '--check', '--record', 'r.jsonl'])).toMatchObject({ check: true, record: 'r.jsonl' });
  });

  it('refuses short options that are not ours and options for another subcommand', () => {
    expect(() => parseCliArgs(['shell', 'h:1', '-Hx'])).toThrow(/^unknown option -Hx$/);
    expect(() => parseCliArgs(['exec', 'h:1', 'stop', '-H'])).toThrow(/--hmp does not apply to 'exec'/);
    expect(() => parseCliArgs(['events', 'h:1', '--check'])).toThrow(/--check does not apply to 'events'/);
    expect(() => parseCliArgs(['shell', 'h:1', '--log', ''])).toThrow(/--log needs a file name/);
    expect(() => parseCliArgs(['shell', 'h:1', '-l'])).toThrow(UsageError);
  });

  it('reads events --human and --record, one TARGET per recording', () => {
    expect(parseCliArgs(['events', 'h:1', '--human', '--record', 'r.jsonl'])).toMatchObject({ human: true, record: 'r.jsonl' });
    expect(() => parseCliArgs(['events', 'h:1', 'h:2', '--record', 'r.jsonl'])).toThrow(/--record takes one TARGET/);
    expect(() => parseCliArgs(['events', 'h:1', '--human', '-p'])).toThrow(/--pretty and --human/);
  });
});

describe('parseCliArgs: exec with shorthand words', () => {
  const args = (...words: string[]): string => {
    const inv = parseCliArgs(['exec', 'h:1', ...words]);
    return inv.kind === 'exec' ? stringifyJsonLossless(inv.args ?? null) : '';
  };

  it('builds the arguments as the shell reads shorthand', () => {
    expect(args('device_del', 'id=vblk0')).toBe('{"id":"vblk0"}');
    expect(args('x', 'a.b=1', 'a.c=true', 'n=12345678901234567890', 'l=[1, 2]')).toBe('{"a":{"b":1,"c":true},"n":12345678901234567890,"l":[1,2]}');
    // A word the user's shell kept whole stays one string, quotes and backslashes included.
    expect(args('human-monitor-command', 'command-line=info status')).toBe('{"command-line":"info status"}');
    expect(args('x', 'v=say "hi" \\o/')).toBe('{"v":"say \\"hi\\" \\\\o/"}');
  });

  it('still takes one JSON object, and refuses a mix', () => {
    expect(args('x', '{"a": 1}')).toBe('{"a":1}');
    expect(() => parseCliArgs(['exec', 'h:1', 'x', '{"a": 1}', 'b=2'])).toThrow(/too many arguments/);
    expect(() => parseCliArgs(['exec', 'h:1', 'x', 'a=1', 'oops'])).toThrow(/'oops' is not key=value/);
    expect(() => parseCliArgs(['exec', 'h:1', 'x', 'a=1', 'a=2'])).toThrow(/given twice/);
  });
});
