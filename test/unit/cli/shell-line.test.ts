import { describe, expect, it } from 'vitest';
import { parseShellLine } from '../../../electron/cli/shell-line';
import { stringifyJsonLossless } from '../../../electron/common/json-text';

describe('parseShellLine', () => {
  it.each(['', '   ', '\t', '# a comment', '   # indented comment'])('skips %j', (line) => {
    expect(parseShellLine(line)).toEqual({ kind: 'skip' });
  });

  it('reads a JSON command with arguments and id', () => {
    expect(parseShellLine('{"execute": "human-monitor-command", "arguments": {"command-line": "info status"}, "id": 7}')).toEqual({
      kind: 'command',
      command: { command: 'human-monitor-command', args: { 'command-line': 'info status' }, oob: false, userId: 7 },
    });
  });

  it('reads exec-oob as an out-of-band command', () => {
    const line = parseShellLine('{"exec-oob": "query-yank", "id": "y"}');
    expect(line).toEqual({ kind: 'command', command: { command: 'query-yank', args: undefined, oob: true, userId: 'y' } });
  });

  it('keeps big integers in JSON arguments exact', () => {
    const line = parseShellLine('{"execute": "x", "arguments": {"id": 12345678901234567890}}');
    expect(line.kind).toBe('command');
    if (line.kind === 'command') expect(stringifyJsonLossless(line.command.args)).toBe('{"id":12345678901234567890}');
  });

  it('reads shorthand when the line is not JSON', () => {
    expect(parseShellLine('device_del id=vblk0')).toEqual({
      kind: 'command',
      command: { command: 'device_del', args: { id: 'vblk0' }, oob: false, userId: undefined },
    });
  });

  it.each([
    ['{"execute": ', /not valid JSON/],
    ['{"arguments": {}}', /needs 'execute'/],
    ['{"execute": 5}', /needs 'execute'/],
    ['{"execute": "x", "arguments": [1]}', /must be a JSON object/],
    ['{"execute": "x", "extra": 1}', /unexpected key/],
    ['{"execute": "x", "exec-oob": "y"}', /not both/],
    ['%%% garbage', /not a command name/],
    [`{"execute": "${'x'.repeat(129)}"}`, /^command name too long \(129 characters; at most 128\)$/],
    [`{"exec-oob": "a b"}`, /^'a b' is not a QMP command name/],
    ['x'.repeat(129), /^command name too long \(129 characters; at most 128\)$/],
    [`${'x'.repeat(5000)} a=1`, /^command name too long \(5000 characters/],
  ])('reports %j as invalid', (text, message) => {
    const line = parseShellLine(text);
    expect(line.kind).toBe('invalid');
    if (line.kind === 'invalid') expect(line.message).toMatch(message);
  });
});

describe('command names', () => {
  it('takes names up to 128 characters and downstream prefixes with dots', () => {
    expect(parseShellLine('x'.repeat(128))).toMatchObject({ kind: 'command', command: { command: 'x'.repeat(128) } });
    expect(parseShellLine('{"execute": "__com.redhat_drive_add"}')).toMatchObject({ kind: 'command' });
    expect(parseShellLine('__org.qemu_x-command a=1')).toMatchObject({ kind: 'command', command: { command: '__org.qemu_x-command' } });
  });
});

describe('parseShellLine with the ! prefix', () => {
  it('sends the command after ! out of band, in either form', async () => {
    const { parseShellLine: parse } = await import('../../../electron/cli/shell-line');
    expect(parse('!query-yank')).toEqual({ kind: 'command', command: { command: 'query-yank', args: undefined, oob: true, userId: undefined } });
    expect(parse(' ! {"execute": "query-yank", "id": 1}')).toMatchObject({ kind: 'command', command: { command: 'query-yank', oob: true, userId: 1 } });
    expect(parse('!')).toMatchObject({ kind: 'invalid', message: /'!' needs a command/ });
    expect(parse('!%%')).toMatchObject({ kind: 'invalid' });
  });
});
