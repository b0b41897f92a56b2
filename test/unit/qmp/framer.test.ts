/**
 * Framer behaviour on well-formed input: split points, escapes, UTF-8, bigint, state.
 *
 * Each text is fed cut at EVERY possible point (and at every pair of points for the tricky
 * ones), since a bug at one particular offset is exactly what random chunking might miss.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QmpProtocolError } from '../../../electron/core/qmp/errors';
import { QmpFramer } from '../../../electron/core/qmp/framer';
import { parseJsonByHand, stringifyJsonLossless, type JsonObject } from '../../../electron/common/json-text';

function frame(chunks: readonly Buffer[], framer = new QmpFramer()): JsonObject[] {
  const messages: JsonObject[] = [];
  for (const chunk of chunks) framer.push(chunk, (message) => messages.push(message));
  return messages;
}

/** Every way to cut `bytes` into two chunks, plus every way into three when `triple`. */
function* splits(bytes: Buffer, triple = false): Generator<Buffer[]> {
  for (let i = 0; i <= bytes.length; i++) {
    yield [bytes.subarray(0, i), bytes.subarray(i)];
    if (!triple) continue;
    for (let j = i; j <= bytes.length; j++) yield [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
  }
}

function expectSameAtEverySplit(text: string | Buffer, expected: JsonObject[], triple = false): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (const chunks of splits(bytes, triple)) expect(frame(chunks)).toEqual(expected);
}

describe('QmpFramer', () => {
  it('splits messages separated by CRLF, spaces, tabs or nothing at all', () => {
    const text = '{"a":1}\r\n{"b":2}  \t\r\n\r\n{"c":[3]}{"d":{}}\r\n';
    expectSameAtEverySplit(text, [{ a: 1 }, { b: 2 }, { c: [3] }, { d: {} }], true);
  });

  it('frames pretty=on output by structure, not by lines', () => {
    const pretty = '{\r\n    "return": {\r\n    }\r\n}\r\n{\r\n    "event": "STOP",\r\n    "data": [\r\n        1\r\n    ]\r\n}\r\n';
    expectSameAtEverySplit(pretty, [{ return: {} }, { event: 'STOP', data: [1] }], true);
  });

  it('ignores brackets and braces inside strings', () => {
    expectSameAtEverySplit('{"a":"}{][","b":"{"}{"c":"]"}', [{ a: '}{][', b: '{' }, { c: ']' }]);
  });

  it('handles escapes \\" \\\\ and \\u00e9 cut anywhere', () => {
    const text = '{"q":"say \\"hi\\"","bs":"a\\\\","end":"\\\\\\"}","u":"caf\\u00e9"}\r\n{"next":true}';
    expectSameAtEverySplit(text, [{ q: 'say "hi"', bs: 'a\\', end: '\\"}', u: 'café' }, { next: true }], true);
  });

  it('handles strings that end in runs of backslashes at a chunk edge', () => {
    const text = '{"a":"\\\\\\\\","b":"\\\\\\""}';
    expectSameAtEverySplit(text, [{ a: '\\\\', b: '\\"' }], true);
  });

  it('decodes raw multi-byte UTF-8 cut inside a character', () => {
    expectSameAtEverySplit('{"s":"café ✓ 😀"}\r\n{"t":"é"}', [{ s: 'café ✓ 😀' }, { t: 'é' }], true);
  });

  it('turns integers beyond 2^53 into exact bigint, even when cut mid-number', () => {
    const text = '{"big":12345678901234567890,"neg":-9007199254740993,"safe":9007199254740991,"f":12345678901234567.5}';
    expectSameAtEverySplit(text, [
      // The float rounds like JSON.parse would round it: floats stay plain numbers.
      { big: 12345678901234567890n, neg: -9007199254740993n, safe: 9007199254740991, f: Number('12345678901234567.5') },
    ]);
  });

  it('spots a lone long integer wherever the chunk edge cuts it', () => {
    expectSameAtEverySplit('{"id":12345678901234567890}', [{ id: 12345678901234567890n }], true);
    expectSameAtEverySplit('{"a":[1,2],"id":-9007199254740993}', [{ a: [1, 2], id: -9007199254740993n }], true);
  });

  it('keeps 16-digit safe integers and digit strings as they are', () => {
    const [message] = frame([Buffer.from('{"n":1234567890123456,"s":"12345678901234567890","e":1e300}')]);
    expect(message).toEqual({ n: 1234567890123456, s: '12345678901234567890', e: 1e300 });
    expect(typeof message?.['n']).toBe('number');
  });

  it('frames newline-ended messages holding uint64 values exactly, at random chunk edges (the fast path)', () => {
    const big = fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }));
    const leaf = fc.oneof(big, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.stringMatching(/^[0-9a-z"\\ .-]{0,20}$/), fc.constant('\u0000 18446744073709551615'));
    const event = fc.record({ event: fc.constantFrom('BLOCK_JOB_COMPLETED', 'JOB_STATUS_CHANGE'), data: fc.dictionary(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), { maxKeys: 5 }) });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (events, pretty, cuts) => {
        const texts = events.map((e) => `${stringifyJsonLossless(e, pretty ? 4 : undefined).replace(/\n/g, '\r\n')}\r\n`);
        const bytes = Buffer.from(texts.join(''));
        const edges = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...edges].map((from, index) => bytes.subarray(from, [...edges, bytes.length][index]));
        expect(frame(chunks)).toEqual(texts.map((text) => parseJsonByHand(text)));
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it('does not mistake two numbers across a chunk edge for one long number', () => {
    const [message] = frame([Buffer.from('{"a":[12345678,'), Buffer.from('12345678]}')]);
    expect(message).toEqual({ a: [12345678, 12345678] });
  });

  it('reports buffered bytes of an unfinished message and drops them at end()', () => {
    const framer = new QmpFramer();
    const got = frame([Buffer.from('{"a":1}\r\n{"b":'), Buffer.from('"xy')], framer);
    expect(got).toEqual([{ a: 1 }]);
    expect(framer.bufferedBytes).toBe(8);
    expect(framer.end()).toBe(8);
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.end()).toBe(0);
  });

  it('ignores empty chunks', () => {
    expect(frame([Buffer.alloc(0), Buffer.from('{"a":'), Buffer.alloc(0), Buffer.from('1}')])).toEqual([{ a: 1 }]);
  });

  it('delivers every message of a chunk in order', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `{"i":${i}}\r\n`).join('');
    expect(frame([Buffer.from(many)]).map((m) => m['i'])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('lets an error from the message handler through and refuses further input', () => {
    const framer = new QmpFramer();
    const boom = new Error('handler bug');
    expect(() =>
      framer.push(Buffer.from('{"a":1}{"b":2}'), () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(() => framer.push(Buffer.from('{"c":3}'), () => undefined)).toThrow(QmpProtocolError);
  });

  it('rejects nonsensical limits up front', () => {
    expect(() => new QmpFramer({ maxMessageBytes: 0 })).toThrow(RangeError);
    expect(() => new QmpFramer({ maxDepth: -1 })).toThrow(RangeError);
  });
});
