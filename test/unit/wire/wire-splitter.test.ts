import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireSplitter } from '../../../electron/core/wire/wire-splitter';

function split(chunks: readonly (string | Buffer)[], maxEntryBytes?: number): string[] {
  const out: string[] = [];
  const splitter = new WireSplitter((text) => out.push(text), maxEntryBytes);
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  splitter.end();
  return out;
}

const COMPACT = ['{"QMP": {"version": {}, "capabilities": ["oob"]}}\r\n', '{"return": {}}\r\n', '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n'];
// As a pretty=on monitor prints them: CRLF on every line, inner lines indented.
const PRETTY = ['{\r\n    "return": {\r\n        "a": "x\\"}\\r\\n"\r\n    }\r\n}\r\n', '{\r\n    "return": {\r\n    }\r\n}\r\n'];

describe('WireSplitter', () => {
  it('cuts compact and pretty messages at the line end after each message, texts unchanged', () => {
    expect(split([COMPACT.join('')])).toEqual(COMPACT);
    expect(split([PRETTY.join('')])).toEqual(PRETTY);
  });

  it('gives the same cuts however the bytes are chunked, multi-byte characters included', () => {
    const messages = [...COMPACT, ...PRETTY, '{"return": "h\u00e9llo \u{1F600} {[\\"]}"}\r\n'];
    const bytes = Buffer.from(messages.join(''));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 20 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        expect(split(chunks)).toEqual(messages);
      }),
    );
  });

  it('cuts ASCII and non-ASCII chunks alike, however they alternate', () => {
    const messages = ['{"return": "\u00e9"}\r\n', ...COMPACT, '{"s": "\u{1F600}x"}\r\n', ...PRETTY, '{"t": "\u00e9\u00e9"}\r\n', ...COMPACT];
    const bytes = Buffer.from(messages.join(''));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length];
        expect(split(points.slice(1).map((end, i) => bytes.subarray(points[i], end)))).toEqual(messages);
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it('decodes a character cut short before an ASCII chunk as the decoder always did (U+FFFD)', () => {
    const torn = Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xc3])]);
    expect(split([torn, '"}\r\n{"b": 1}\r\n'])).toEqual(['{"a": "\ufffd"}\r\n', '{"b": 1}\r\n']);
  });

  it('keeps garbage as line-sized entries, cuts an endless line at the bound, and flushes a torn message at the end', () => {
    expect(split(['not json\r\nstill not\n'])).toEqual(['not json\r\n', 'still not\n']);
    expect(split(['x'.repeat(10), 'y'.repeat(10)], 8)).toEqual(['x'.repeat(10), 'y'.repeat(10)]);
    expect(split(['{"return": {', '"a": 1'])).toEqual(['{"return": {"a": 1']);
    expect(split([']]]}}\n{"a": 1}\n'])).toEqual([']]]}}\n', '{"a": 1}\n']);
  });
});
