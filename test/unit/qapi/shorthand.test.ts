import { describe, expect, it } from 'vitest';
import { parseShorthand, ShorthandError } from '../../../electron/common/qapi/shorthand';
import { stringifyJsonLossless } from '../../../electron/common/json-text';

describe('parseShorthand', () => {
  it('reads a bare command name', () => {
    expect(parseShorthand('query-status')).toEqual({ command: 'query-status', args: undefined });
    expect(parseShorthand('  stop  ')).toEqual({ command: 'stop', args: undefined });
  });

  it('reads key=value pairs, strings when the value is not JSON', () => {
    expect(parseShorthand('device_del id=vblk0')).toEqual({ command: 'device_del', args: { id: 'vblk0' } });
    expect(parseShorthand('blockdev-add driver=qcow2 node-name=disk-1 file=/tmp/a.qcow2')).toEqual({
      command: 'blockdev-add',
      args: { driver: 'qcow2', 'node-name': 'disk-1', file: '/tmp/a.qcow2' },
    });
  });

  it('reads values as JSON where they parse', () => {
    const { args } = parseShorthand('x n=42 f=1.5 neg=-3 t=true nul=null arr=[1,"a"] obj={"k":[true]}');
    expect(args).toEqual({ n: 42, f: 1.5, neg: -3, t: true, nul: null, arr: [1, 'a'], obj: { k: [true] } });
  });

  it('keeps things that merely resemble numbers as strings', () => {
    const { args } = parseShorthand('x a=01 b=0x10 c=1.2.3 d=True e=-');
    expect(args).toEqual({ a: '01', b: '0x10', c: '1.2.3', d: 'True', e: '-' });
  });

  it('keeps integers beyond 2^53 exact', () => {
    const { args } = parseShorthand('x id=12345678901234567890 neg=-9223372036854775808');
    expect(stringifyJsonLossless(args)).toBe('{"id":12345678901234567890,"neg":-9223372036854775808}');
  });

  it('reads double- and single-quoted values as strings, with spaces and escapes', () => {
    const { args } = parseShorthand(`human-monitor-command command-line="info status" b='a b' c="1" d="say \\"hi\\"" e='' f="it's"`);
    expect(args).toEqual({ 'command-line': 'info status', b: 'a b', c: '1', d: 'say "hi"', e: '', f: "it's" });
  });

  it('keeps spaces inside JSON brackets within one value', () => {
    const { args } = parseShorthand('x obj={"a b": [1, 2], "c": "d }"} y=1');
    expect(args).toEqual({ obj: { 'a b': [1, 2], c: 'd }' }, y: 1 });
  });

  it('builds nested objects from dotted keys and merges siblings', () => {
    const { args } = parseShorthand('blockdev-add node-name=n0 file.driver=file file.filename=/tmp/x a.b.c=1 a.b.d=2 a.e=x');
    expect(args).toEqual({ 'node-name': 'n0', file: { driver: 'file', filename: '/tmp/x' }, a: { b: { c: 1, d: 2 }, e: 'x' } });
  });

  it('takes an empty value as an empty string, and splits key from value at the first =', () => {
    expect(parseShorthand('x a=').args).toEqual({ a: '' });
    expect(parseShorthand('x a==1 b=c=d').args).toEqual({ a: '=1', b: 'c=d' });
  });

  it('adds __proto__ as an ordinary key instead of changing the prototype', () => {
    const { args } = parseShorthand('x __proto__.polluted=1');
    expect(Object.keys(args!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(stringifyJsonLossless(args)).toBe('{"__proto__":{"polluted":1}}');
  });

  it.each([
    ['%%% garbage', /not a command name/],
    ['"quoted" a=1', /unexpected quote/],
    ['=x', /missing key/],
    ['a=1', /command name before/],
    ['device_del vblk0', /'vblk0' is not key=value/],
    ['x a=1 a=2', /given twice/],
    ['x a=1 a.b=2', /conflicts/],
    ['x a.b=1 a=2', /given twice/],
    ['x a..b=1', /empty part/],
    ['x .a=1', /empty part/],
    ['x a="unterminated', /unterminated " quote/],
    ["x a='unterminated", /unterminated ' quote/],
    ['x a="b"c', /space after the closing quote/],
    ['x a={"b":1', /unbalanced/],
    ['x a=[1,2', /unbalanced/],
    ['x a={b:1}', /looks like JSON but does not parse/],
  ])('rejects %j', (line, message) => {
    expect(() => parseShorthand(line)).toThrow(ShorthandError);
    expect(() => parseShorthand(line)).toThrow(message);
  });
});
