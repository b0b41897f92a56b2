/**
 * The shared endpoint's QEMU-compatible reader, request checks and writer, case by case
 * (the transcripts replay in test/integration/share-transcripts.test.ts covers what QEMU 7.2
 * was recorded doing; these pin down the rules the recordings do not reach).
 */
import { describe, expect, it } from 'vitest';
import { QemuJsonStreamer, type StreamItem } from '../../../electron/core/share/qemu-json-lexer';
import { parseQemuTokens } from '../../../electron/core/share/qemu-json-parser';
import { qemuJson } from '../../../electron/core/share/qemu-json-text';
import { checkRequest, type ClientProtocolState } from '../../../electron/core/share/request-check';
import type { JsonValue } from '../../../electron/common/json-text';

/** Feeds chunks and returns each message's value or error text. */
function read(...chunks: string[]): Array<JsonValue | string> {
  const streamer = new QemuJsonStreamer({ maxMessageBytes: 64 });
  const out: Array<JsonValue | string> = [];
  const emit = (item: StreamItem): void => {
    if ('error' in item) out.push(`E:${item.error}`);
    else {
      const parsed = parseQemuTokens(item.tokens);
      out.push('error' in parsed ? `E:${parsed.error}` : parsed.value);
    }
  };
  for (const chunk of chunks) streamer.push(Buffer.from(chunk, 'latin1'), emit);
  streamer.end(emit);
  return out;
}

describe('QEMU JSON reader', () => {
  it('frames by brackets across chunks, with single quotes and tokens cut anywhere', () => {
    expect(read('{"a": 1', '2, \'b\': [tr', 'ue]}{}')).toEqual([{ a: 12, b: [true] }, {}]);
    expect(read('12345678901234567890 ')).toEqual([12345678901234567890n]);
    expect(read('null')).toEqual([null]); // a keyword still pending at end of input
  });

  it('words errors as QEMU does', () => {
    expect(read('[1 2]')).toEqual(['E:JSON parse error, expected separator in list']);
    expect(read('{"a":1,"a":2}')).toEqual(['E:JSON parse error, duplicate key']);
    expect(read('{1:2}')).toEqual(['E:JSON parse error, key is not a string in object']);
    expect(read('{"a" 1}')).toEqual(['E:JSON parse error, missing : in object pair']);
    expect(read('["\\x"]')).toEqual(['E:JSON parse error, invalid escape sequence in string']);
    expect(read('["\\ud800"]')).toEqual(['E:JSON parse error, \\ud800 is not a valid Unicode character']);
    expect(read('[nul]')).toEqual(["E:JSON parse error, invalid keyword 'nul'"]);
    expect(read('01 ')).toEqual(["E:JSON parse error, stray '01'"]);
  });

  it('resynchronises after a stray byte at the next structural character', () => {
    expect(read('@@@ {"ok": true}')).toEqual(["E:JSON parse error, stray '@'", { ok: true }]);
  });

  it('refuses a message beyond its limit with QEMU\'s words, then reads on', () => {
    expect(read(`["${'A'.repeat(100)}"]`, ' {"next": 1}')).toEqual(['E:JSON token size limit exceeded', 'E:JSON parse error, expecting value', { next: 1 }]);
  });

  it('limits nesting as QEMU does', () => {
    const deep = new QemuJsonStreamer({ maxNesting: 3 });
    const items: StreamItem[] = [];
    deep.push(Buffer.from('[[[[1]]]]'), (item) => items.push(item));
    expect(items[0]).toEqual({ error: 'JSON nesting depth limit exceeded' });
  });
});

describe('request checks', () => {
  const fresh: ClientProtocolState = { negotiated: false, oobEnabled: false, oobOffered: false };
  const ready: ClientProtocolState = { negotiated: true, oobEnabled: true, oobOffered: true };

  it('negotiates locally with the QAPI wording for bad capabilities', () => {
    const cap = (args: JsonValue, state = fresh) => checkRequest({ execute: 'qmp_capabilities', arguments: args, id: 1 } as JsonValue, state);
    expect(cap({ enable: ['oob'] })).toMatchObject({ kind: 'answer', text: '{"id": 1, "error": {"class": "GenericError", "desc": "Capability oob not available"}}\r\n' });
    expect(cap({ enable: ['oob'] }, { ...fresh, oobOffered: true })).toMatchObject({ kind: 'negotiated', oob: true, text: '{"return": {}, "id": 1}\r\n' });
    expect(cap({ enable: 'oob' })).toMatchObject({ text: expect.stringContaining("Invalid parameter type for 'enable', expected: array") as unknown });
    expect(cap({ other: 1 })).toMatchObject({ text: expect.stringContaining("Parameter 'other' is unexpected") as unknown });
  });

  it('treats exec-oob as unexpected until oob is negotiated, then forwards it out of band', () => {
    expect(checkRequest({ 'exec-oob': 'yank' }, { ...ready, oobEnabled: false })).toMatchObject({ text: expect.stringContaining("QMP input member 'exec-oob' is unexpected") as unknown });
    expect(checkRequest({ 'exec-oob': 'query-yank', id: 'o' }, ready)).toEqual({ kind: 'forward', command: 'query-yank', args: undefined, oob: true, id: { present: true, value: 'o' } });
    expect(checkRequest({ execute: 'a', 'exec-oob': 'b' }, ready)).toMatchObject({ text: expect.stringContaining("QMP input member 'exec-oob' is unexpected") as unknown });
    expect(checkRequest({ execute: 'qmp_capabilities' }, ready)).toMatchObject({ text: expect.stringContaining('already complete') as unknown });
  });
});

describe("QEMU's JSON writer", () => {
  it('writes doubles as %.17g and non-ASCII as uppercase escapes', () => {
    // A JS number past 2^53 can only have been a double (integers that big parse as bigint).
    expect(qemuJson([0.1, 1.5, 1e-7, 1e300, -0, 2 ** 60, 2n ** 60n])).toBe(
      '[0.10000000000000001, 1.5, 9.9999999999999995e-08, 1.0000000000000001e+300, -0, 1.152921504606847e+18, 1152921504606846976]',
    );
    expect(qemuJson({ s: 'é✓😀\u007f"\\\n/' })).toBe('{"s": "\\u00E9\\u2713\\uD83D\\uDE00\\u007F\\"\\\\\\n/"}');
  });
});
