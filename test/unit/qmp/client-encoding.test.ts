/**
 * Command encoding: the fast path and the bigint path write the same JSON QEMU expects.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../electron/core/qmp/command-line';
import { QmpProtocolError } from '../../../electron/core/qmp/errors';

describe('encodeCommand', () => {
  it('writes execute, id and a newline when there are no arguments', () => {
    expect(encodeCommand('query-status', 1, undefined, false)).toBe('{"execute":"query-status","id":1}\n');
  });

  it('writes exec-oob for out-of-band commands', () => {
    expect(JSON.parse(encodeCommand('query-yank', 2, undefined, true))).toEqual({ 'exec-oob': 'query-yank', id: 2 });
  });

  it('escapes command names and argument strings', () => {
    const line = encodeCommand('a"b', 3, { 'command-line': 'say "hi"\n', é: 'ü' }, false);
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.slice(0, -1).includes('\n')).toBe(false);
    expect(JSON.parse(line)).toEqual({ execute: 'a"b', id: 3, arguments: { 'command-line': 'say "hi"\n', é: 'ü' } });
  });

  it('writes bigint arguments as exact digits', () => {
    const line = encodeCommand('block_resize', 4, { device: 'd0', size: 18446744073709551615n, nested: [{ n: -9007199254740993n }] }, false);
    expect(line).toBe('{"execute":"block_resize","id":4,"arguments":{"device":"d0","size":18446744073709551615,"nested":[{"n":-9007199254740993}]}}\n');
  });

  it('refuses a lone surrogate, naming where it sits, since QEMU would answer without an id', () => {
    const refusal = (args: Parameters<typeof encodeCommand>[2], command = 'human-monitor-command') => {
      try {
        encodeCommand(command, 5, args, false);
      } catch (error) {
        expect(error).toBeInstanceOf(QmpProtocolError);
        return (error as Error).message;
      }
      return 'encoded';
    };
    expect(refusal({ 'command-line': 'info \ud800' })).toMatch(/^cannot send "human-monitor-command": arguments\["command-line"\] holds a lone UTF-16 surrogate/);
    expect(refusal({ a: ['ok', { b: 'x\udc00' }] })).toMatch(/: arguments\.a\[1\]\.b holds/);
    expect(refusal({ ['k\ud800']: 1 })).toMatch(/: the key arguments\["k\\ud800"\] holds/);
    expect(refusal({ n: 18446744073709551615n, s: '\udfff' })).toMatch(/: arguments\.s holds/);
    expect(refusal(undefined, 'query-\ud800')).toMatch(/: the command name holds/);
  });

  it('sends paired surrogates and text that merely looks like an escape', () => {
    const line = encodeCommand('human-monitor-command', 6, { 'command-line': 'echo 😀 \\ud800' }, false);
    expect(JSON.parse(line)).toEqual({ execute: 'human-monitor-command', id: 6, arguments: { 'command-line': 'echo 😀 \\ud800' } });
  });
});
