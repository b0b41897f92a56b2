import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_SECONDS, parseCliArgs } from '../../../electron/cli/args';
import { UsageError } from '../../../electron/cli/cli-errors';
import { stringifyJsonLossless } from '../../../electron/common/json-text';

const common = { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, maxMessageBytes: undefined, verbose: false, record: undefined, direct: false };
const shellDefaults = { pretty: false, hmp: false, log: undefined, check: false };

describe('parseCliArgs', () => {
  it('parses exec with and without ARGS_JSON', () => {
    expect(parseCliArgs(['exec', 'unix:/s', 'query-status'])).toEqual({
      kind: 'exec', ...common, target: 'unix:/s', command: 'query-status', args: undefined, pretty: false,
    });
    expect(parseCliArgs(['exec', '/tmp/s', 'human-monitor-command', '{"command-line":"info status"}'])).toMatchObject({
      args: { 'command-line': 'info status' },
    });
  });

  it('accepts options before or after the subcommand, with = or a separate value', () => {
    const want = { kind: 'exec', timeoutMs: 2500, pretty: true };
    expect(parseCliArgs(['--timeout', '2.5', 'exec', 'h:1', 'stop', '--pretty'])).toMatchObject(want);
    expect(parseCliArgs(['exec', '--pretty', 'h:1', '--timeout=2.5', 'stop'])).toMatchObject(want);
    expect(parseCliArgs(['exec', 'h:1', 'stop', '--timeout', '2.5', '--pretty'])).toMatchObject(want);
  });

  it('parses events with --count and shell', () => {
    expect(parseCliArgs(['events', 'h:1', '--count', '2'])).toEqual({ kind: 'events', ...common, targets: ['h:1'], count: 2, events: [], pretty: false, human: false });
    expect(parseCliArgs(['events', 'h:1'])).toMatchObject({ count: undefined });
    expect(parseCliArgs(['shell', '--timeout', '1', '/tmp/s'])).toEqual({ kind: 'shell', ...common, ...shellDefaults, timeoutMs: 1000, target: '/tmp/s' });
  });

  it('parses events with several targets, repeated --event patterns and --pretty, anywhere on the line', () => {
    expect(parseCliArgs(['--event', 'BLOCK_JOB_*', 'events', 'unix:/a', '--pretty', '/b', 'h:1', '--event=STOP', '--count', '3'])).toEqual({
      kind: 'events', ...common, targets: ['unix:/a', '/b', 'h:1'], count: 3, events: ['BLOCK_JOB_*', 'STOP'], pretty: true, human: false,
    });
    expect(parseCliArgs(['events', 'h:1', '--event', '__com.redhat_X', '--event', '*'])).toMatchObject({ events: ['__com.redhat_X', '*'] });
  });

  it('keeps big integers of ARGS_JSON exact', () => {
    const inv = parseCliArgs(['exec', 'h:1', 'x', '{"id": 12345678901234567890}']);
    expect(inv.kind === 'exec' && stringifyJsonLossless(inv.args)).toBe('{"id":12345678901234567890}');
  });

  it('treats everything after -- as positional', () => {
    expect(parseCliArgs(['exec', '--', 'h:1', '--odd-command'])).toMatchObject({ command: '--odd-command' });
  });

  it('reads --max-message-bytes', () => {
    expect(parseCliArgs(['exec', 'h:1', 'x', '--max-message-bytes', '1000'])).toMatchObject({ maxMessageBytes: 1000 });
  });

  it.each([[['--help']], [['exec', '--help']], [['-h']], [['help']], [['bogus', '--help']], [['exec', 'h:1', 'x', '--timeout', 'nope', '--help']]])(
    'returns help for %j',
    (argv) => expect(parseCliArgs(argv)).toEqual({ kind: 'help' }),
  );

  it.each([[['--version']], [['-V']], [['shell', 'h:1', '--version']]])('returns version for %j', (argv) => {
    expect(parseCliArgs(argv)).toEqual({ kind: 'version' });
  });

  it.each([
    [[], /missing subcommand/],
    [['frobnicate', 'h:1'], /unknown subcommand 'frobnicate'/],
    [['exec'], /missing TARGET/],
    [['exec', ''], /missing TARGET/],
    [['exec', 'h:1'], /missing COMMAND/],
    [['exec', 'h:1', 'x', '{}', 'extra'], /too many arguments/],
    [['events', 'h:1', 'h:1'], /^TARGET 'h:1' given twice$/],
    [['events', '/tmp/s', 'h:1', 'unix:/tmp/s'], /^TARGETs '\/tmp\/s' and 'unix:\/tmp\/s' are the same monitor$/],
    [['events', 'tcp:h:1', 'h:1'], /same monitor/],
    [['events', 'h:1', ''], /^empty TARGET \(argument 2 after 'events'\)$/],
    [['events', 'h:1', '--event', ''], /^bad --event: empty event name$/],
    [['events', 'h:1', '--event', 'BLOCK_JOB_?'], /^bad --event: 'BLOCK_JOB_\?' is not an event name or pattern/],
    [['events', 'h:1', '--event', 'A B'], /^bad --event/],
    [['events', 'h:1', '--event', 'X'.repeat(129)], /^bad --event: event name too long/],
    [['events', 'h:1', '--event'], /--event needs a value/],
    [['events', 'h:1', '--count', '1', '--count', '2'], /--count given twice/],
    [['exec', 'h:1', 'x', '--event', 'STOP'], /does not apply to 'exec'/],
    [['shell', 'h:1', '--event', 'STOP'], /does not apply to 'shell'/],
    [['shell'], /missing TARGET/],
    [['exec', 'h:1', 'x', '[1,2]'], /must be a JSON object/],
    [['exec', 'h:1', 'x', '"str"'], /must be a JSON object/],
    [['exec', 'h:1', 'x', 'null'], /must be a JSON object/],
    [['exec', 'h:1', 'x', '{bad'], /not valid JSON/],
    [['exec', 'h:1', 'x', '--bogus'], /unknown option --bogus/],
    [['exec', 'h:1', 'x', '-x'], /unknown option -x/],
    [['exec', 'h:1', 'x', '--timeout'], /needs a value/],
    [['exec', 'h:1', 'x', '--timeout', 'abc'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', '0'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', '-1'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', 'Infinity'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', '1e3'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', '99999999'], /bad --timeout/],
    [['exec', 'h:1', 'x', '--timeout', '1', '--timeout', '2'], /given twice/],
    [['exec', 'h:1', 'x', '--pretty=yes'], /takes no value/],
    [['exec', 'h:1', 'x', '--count', '2'], /does not apply to 'exec'/],
    [['shell', 'h:1', '--human'], /does not apply to 'shell'/],
    [['events', 'h:1', '--count', '0'], /bad --count/],
    [['events', 'h:1', '--count', '1.5'], /bad --count/],
    [['events', 'h:1', '--count', 'two'], /bad --count/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('parseCliArgs bounds', () => {
  it('takes any QAPI command name up to 128 characters, vendor prefixes included', () => {
    expect(parseCliArgs(['exec', 'h:1', 'x'.repeat(128)])).toMatchObject({ command: 'x'.repeat(128) });
    expect(parseCliArgs(['exec', 'h:1', '__com.redhat_drive_add'])).toMatchObject({ command: '__com.redhat_drive_add' });
  });

  it.each([
    [['exec', 'h:1', 'x'.repeat(129)], /^bad COMMAND: command name too long \(129 characters; at most 128\)$/],
    [['exec', 'h:1', 'query status'], /^bad COMMAND: 'query status' is not a QMP command name/],
    [['exec', 'h:1', 'x', `{"a": "${'y'.repeat(1024 * 1024)}"}`], /^ARGS_JSON too long/],
  ])('rejects %#', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('words short groups and negative numbers as before', () => {
    expect(() => parseCliArgs(['exec', 'h:1', 'x', '-abc'])).toThrow(/^unknown option -abc$/);
    expect(() => parseCliArgs(['exec', 'h:1', 'x', '-1'])).toThrow(/must be a JSON object/);
    expect(() => parseCliArgs(['exec', 'h:1', 'x', '--bogus=1'])).toThrow(/^unknown option --bogus$/);
  });
});
