import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../../electron/common/qapi';

/** The text a range covers. */
const at = (text: string, range: { from: number; to: number } | undefined): string => (range === undefined ? '<none>' : text.slice(range.from, range.to));

describe('parseCommandText', () => {
  it('reads shorthand with the ranges of the name, each key and each value', () => {
    const text = '  blockdev-snapshot-sync device=d0 snapshot-file="/tmp/s.qcow2" file.driver=qcow2';
    const parsed = parseCommandText(text);
    expect(parsed).toMatchObject({ ok: true, form: 'shorthand', oob: false, command: 'blockdev-snapshot-sync' });
    expect(parsed.args).toEqual({ device: 'd0', 'snapshot-file': '/tmp/s.qcow2', file: { driver: 'qcow2' } });
    expect(at(text, parsed.commandRange)).toBe('blockdev-snapshot-sync');
    expect(parsed.spans.map((s) => [s.path.join('.'), at(text, s.key), at(text, s.value)])).toEqual([
      ['device', 'device', 'd0'],
      ['snapshot-file', 'snapshot-file', '"/tmp/s.qcow2"'],
      ['file.driver', 'file.driver', 'qcow2'],
    ]);
  });

  it('reads JSON with the ranges of nested keys and values, and the id', () => {
    const text = '{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "file": {"filename": "/a", "n": [1, 2.0]}}, "id": 7}';
    const parsed = parseCommandText(text);
    expect(parsed).toMatchObject({ ok: true, form: 'json', command: 'blockdev-add', id: 7, oob: false });
    expect(at(text, parsed.commandRange)).toBe('"blockdev-add"');
    expect(at(text, parsed.argsRange)).toBe('{"driver": "qcow2", "file": {"filename": "/a", "n": [1, 2.0]}}');
    const spans = parsed.spans.map((s) => [s.path.join('.'), at(text, s.key), at(text, s.value), s.floatLiteral]);
    expect(spans).toContainEqual(['file.filename', '"filename"', '"/a"', false]);
    expect(spans).toContainEqual(['file.n.1', '<none>', '2.0', true]);
    expect(spans).toContainEqual(['driver', '"driver"', '"qcow2"', false]);
  });

  it("takes '!' as exec-oob in both forms, and JSON's own exec-oob", () => {
    expect(parseCommandText(' ! query-yank')).toMatchObject({ ok: true, oob: true, command: 'query-yank', form: 'shorthand' });
    expect(parseCommandText('!{"execute": "yank"}')).toMatchObject({ ok: true, oob: true, command: 'yank', form: 'json' });
    expect(parseCommandText('{"exec-oob": "yank"}')).toMatchObject({ ok: true, oob: true, command: 'yank' });
    const text = '!query-yank';
    expect(at(text, parseCommandText(text).commandRange)).toBe('query-yank');
  });

  it('keeps integers beyond 2^53 exact in both forms', () => {
    expect(parseCommandText('x v=18446744073709551615').args).toEqual({ v: 18446744073709551615n });
    expect(parseCommandText('{"execute":"x","arguments":{"v":18446744073709551615}}').args).toEqual({ v: 18446744073709551615n });
  });

  it('says what is wrong and where, never throwing', () => {
    const cases: [string, string, string][] = [
      ['{"execute": "stop",}', 'expected a member name', '}'],
      ['{"execute": "stop"', "expected ',' or '}'", ''],
      ['{"execute": 5}', "needs 'execute'", '5'],
      ['{"execute": "a b"}', 'not a QMP command name', '"a b"'],
      ['{"execute": "stop", "bogus": 1}', "unexpected key 'bogus'", '"bogus"'],
      ['{"execute": "stop", "arguments": []}', "'arguments' must be a JSON object", '[]'],
      ['{"execute": "x", "exec-oob": "y"}', 'not both', '"exec-oob"'],
      ['{"execute": "x", "execute": "y"}', 'given twice', '"execute"'],
      ['device_del id="vblk0', 'unterminated', '"vblk0'],
      ['device_del id', "'id' is not key=value", 'id'],
      ['device_del a.=1', 'empty part', 'a.'],
      ['"quoted"', 'unexpected quote', '"'],
      ['', 'empty command', ''],
      ['!', 'empty command', '!'],
    ];
    for (const [text, message, culprit] of cases) {
      const parsed = parseCommandText(text);
      expect(parsed.ok, text).toBe(false);
      expect(parsed.error?.message, text).toContain(message);
      expect(at(text, parsed.error), text).toBe(culprit);
    }
  });

  it('refuses nesting deeper than the parser allows instead of overflowing the stack', () => {
    const deep = `{"execute":"x","arguments":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expect(parseCommandText(deep)).toMatchObject({ ok: false, error: { message: expect.stringContaining('nested deeper') } });
  });
});
