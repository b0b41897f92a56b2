/**
 * Lossless JSON: exact 64-bit integers in and out, and the same verdicts as JSON.parse.
 *
 * The exact path is a hand-written parser, so property tests pin it to the native one:
 * on every bigint-free text both must agree, on value and on accept/reject.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonByHand, parseJsonLossless, stringifyJsonLossless } from '../../../electron/common/json-text';
import { parseJsonNativeExact } from '../../../electron/common/json-native-exact';
import { QmpProtocolError } from '../../../electron/core/qmp/errors';
import { decodeQmpBytes, parseQmpMessageText } from '../../../electron/core/qmp/decode-message';

/** A 16-digit string forces the exact (slow) path without adding a number. */
const forceExactPath = (json: string): string => `{"pad":"1234567890123456","v":${json}}`;

const unsafeBigInt = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
);

/** What a JSON round trip can keep of a value: -0 comes back as 0, everything else as is. */
function asJsonWouldStore(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(asJsonWouldStore);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asJsonWouldStore(item)]));
  }
  return value;
}

/** Replaces integral numbers beyond 2^53 (which we rightly turn into bigint) by 0. */
function withoutUnsafeIntegers(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value) ? 0 : value;
  if (Array.isArray(value)) return value.map(withoutUnsafeIntegers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutUnsafeIntegers(item)]));
  }
  return value;
}

describe('parseJsonLossless', () => {
  it('keeps integers beyond 2^53 exact as bigint, safe ones as number', () => {
    const value = parseJsonLossless('{"u64":18446744073709551615,"i64":-9223372036854775808,"safe":9007199254740991,"id":12345678901234567890}');
    expect(value).toEqual({ u64: 18446744073709551615n, i64: -9223372036854775808n, safe: 9007199254740991, id: 12345678901234567890n });
  });

  it('keeps floats and exponents as numbers even with many digits', () => {
    expect(parseJsonLossless('[12345678901234567.25, 1234567890123456789e2, -0.00000000000000001]')).toEqual([
      Number('12345678901234567.25'), Number('1234567890123456789e2'), -0.00000000000000001,
    ]);
  });

  it('makes __proto__ an own key, like JSON.parse', () => {
    const value = parseJsonLossless(forceExactPath('{"__proto__":{"x":1}}')) as { v: Record<string, unknown> };
    expect(Object.keys(value.v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('agrees with JSON.parse on every bigint-free value, on both paths', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (generated) => {
        const value = withoutUnsafeIntegers(generated);
        const text = JSON.stringify(value);
        expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
        expect(parseJsonLossless(forceExactPath(text))).toEqual(JSON.parse(forceExactPath(text)));
        const spaced = JSON.stringify(value, null, 2);
        expect(parseJsonLossless(forceExactPath(spaced))).toEqual(JSON.parse(forceExactPath(spaced)));
        // The hand-written parser on its own (the fast paths take most texts before it).
        expect(parseJsonByHand(text)).toEqual(JSON.parse(text));
        expect(parseJsonByHand(spaced)).toEqual(JSON.parse(spaced));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('accepts and rejects exactly what JSON.parse does on the exact path', () => {
    const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-+.eE \\/untrfalsx\t\n'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(jsonish, (text) => {
        let native = true;
        try {
          JSON.parse(forceExactPath(text));
        } catch {
          native = false;
        }
        for (const parse of [parseJsonLossless, parseJsonByHand]) {
          let ours = true;
          try {
            parse(forceExactPath(text));
          } catch (error) {
            ours = false;
            expect((error as Error).message).toMatch(/^Invalid JSON at position \d+: /);
          }
          expect(ours).toBe(native);
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('names the position of the first mistake', () => {
    expect(() => parseJsonLossless('{"a":1,}')).toThrow(/position 7: expected a string key/);
    expect(() => parseJsonLossless('[1 2]')).toThrow(/position 3: expected ',' or ']'/);
    expect(() => parseJsonLossless('{"a":')).toThrow(/position 5: unexpected end of JSON/);
    expect(() => parseJsonLossless('"abc')).toThrow(/position 0: unterminated string/);
    expect(() => parseJsonLossless('')).toThrow(/position 0/);
    expect(() => parseJsonLossless('{} x')).toThrow(/position 3: unexpected text after the JSON value/);
  });

  it('parses 100k nested arrays without a stack overflow, by hand and with a bigint at the bottom', () => {
    const deep = forceExactPath(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const bottomed = `${'['.repeat(100_000)}18446744073709551615${']'.repeat(100_000)}`;
    for (const [value, bottom] of [
      [(parseJsonLossless(deep) as { v: unknown }).v, undefined],
      [(parseJsonByHand(deep) as { v: unknown }).v, undefined],
      [parseJsonLossless(bottomed), 18446744073709551615n],
    ] as const) {
      let inner: unknown = value;
      let depth = 0;
      while (Array.isArray(inner)) {
        depth++;
        inner = inner[0];
      }
      expect(depth).toBe(100_000);
      expect(inner).toBe(bottom);
    }
  });
});

describe('the native exact path (unsafe integers marked for JSON.parse)', () => {
  /** Strings and keys full of digits, signs and exponents: what could fool the marking. */
  const numberish = fc.stringMatching(/^[0-9eE.+\-" \\]{0,24}$/);
  const withBig = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      unsafeBigInt,
      fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }).map(Number),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      numberish,
      fc.jsonValue({ maxDepth: 1 }).map(withoutUnsafeIntegers),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.string(), numberish), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('reads every value with bigints exactly as the hand-written parser does', () => {
    fc.assert(
      fc.property(withBig, fc.constantFrom(undefined, 2), (value, indent) => {
        const text = stringifyJsonLossless(value, indent);
        const expected = parseJsonByHand(text);
        expect(parseJsonNativeExact(text)).toEqual(expected);
        expect(parseJsonLossless(text)).toEqual(expected);
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('accepts and rejects exactly what the hand-written parser does, on digit-heavy text', () => {
    const jsonish = fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-+.eE \\'.split(''), '12345678901234567890', '9007199254740993'), maxLength: 12 });
    fc.assert(
      fc.property(jsonish, (text) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = parseJsonByHand(text);
        } catch {
          valid = false;
        }
        const fast = parseJsonNativeExact(text);
        if (valid) expect(fast).toEqual(expected);
        else expect(fast).toBeUndefined();
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('keeps safe 16-digit integers, floats and leading signs as the hand-written parser does', () => {
    const text = '[9007199254740991,9007199254740992,-9007199254740993,12345678901234567.5,1e12345678901234567,0.12345678901234567890,"12345678901234567890"]';
    expect(parseJsonNativeExact(text)).toEqual(parseJsonByHand(text));
    expect(parseJsonNativeExact(text)).toEqual([9007199254740991, 9007199254740992n, -9007199254740993n, Number('12345678901234567.5'), Infinity, Number('0.12345678901234567890'), '12345678901234567890']);
  });

  it('leaves text with a \\u0000 escape to the hand-written parser, which keeps it exact', () => {
    const text = '{"s":"\\u0000184","n":18446744073709551615}';
    expect(parseJsonNativeExact(text)).toBeUndefined();
    expect(parseJsonLossless(text)).toEqual({ s: '\u0000184', n: 18446744073709551615n });
  });

  it('never lets a marked integer become an object key, and leaves duplicate keys to the hand-written parser', () => {
    for (const text of ['{12345678901234567890:1}', '{"a":1, 12345678901234567890 : 2}', '{-9223372036854775808:[]}']) {
      expect(parseJsonNativeExact(text)).toBeUndefined();
      expect(() => parseJsonLossless(text)).toThrow(/^Invalid JSON at position \d+: expected a string key/);
    }
    const duplicate = '{"a":18446744073709551615,"a":1,"b":[18446744073709551614]}';
    expect(parseJsonLossless(duplicate)).toEqual(parseJsonByHand(duplicate));
    expect(parseJsonLossless(duplicate)).toEqual({ a: 1, b: [18446744073709551614n] });
  });

  it('sets a bigint under __proto__ as an own key, like JSON.parse', () => {
    const value = parseJsonLossless('{"__proto__":18446744073709551615,"x":{"__proto__":[-9223372036854775808]}}') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBe(18446744073709551615n);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value['x'], '__proto__')?.value).toEqual([-9223372036854775808n]);
  });
});

describe('stringifyJsonLossless', () => {
  it('writes bigint as exact digits, with and without indent', () => {
    const value = { id: 12345678901234567890n, list: [-(2n ** 63n), 1, 'x'], nested: { n: 2n ** 64n - 1n } };
    expect(stringifyJsonLossless(value)).toBe(
      '{"id":12345678901234567890,"list":[-9223372036854775808,1,"x"],"nested":{"n":18446744073709551615}}',
    );
    expect(stringifyJsonLossless(value, 2)).toBe(
      JSON.stringify({ id: 'ID', list: ['A', 1, 'x'], nested: { n: 'N' } }, null, 2)
        .replace('"ID"', '12345678901234567890')
        .replace('"A"', '-9223372036854775808')
        .replace('"N"', '18446744073709551615'),
    );
  });

  it('matches JSON.stringify rules on the bigint path (toJSON, undefined, NaN, empty containers)', () => {
    const value = { big: 1n, when: new Date(0), gone: undefined, fn: () => 1, nan: NaN, list: [undefined, Infinity], empty: {}, none: [] };
    const reference = { ...value, big: 1 };
    expect(stringifyJsonLossless(value)).toBe(JSON.stringify(reference));
    expect(stringifyJsonLossless(value, 4)).toBe(JSON.stringify(reference, null, 4));
  });

  it('round-trips any value with bigints through parse', () => {
    const withBig = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, unsafeBigInt, fc.jsonValue({ maxDepth: 1 }).map(withoutUnsafeIntegers), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
    })).value;
    fc.assert(
      fc.property(withBig, fc.constantFrom(undefined, 0, 2, 4), (value, indent) => {
        expect(parseJsonLossless(stringifyJsonLossless(value, indent))).toEqual(asJsonWouldStore(value));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('refuses circular structures on the bigint path too', () => {
    const loop: Record<string, unknown> = { big: 1n };
    loop['self'] = loop;
    expect(() => stringifyJsonLossless(loop)).toThrow(/circular/);
  });

  it('writes a top-level undefined as null so the result is always text', () => {
    expect(stringifyJsonLossless(undefined)).toBe('null');
  });
});

describe('core wrappers', () => {
  it('decodes a peer\'s bytes losslessly and refuses invalid UTF-8 or JSON as a protocol error', () => {
    const decode = (bytes: Buffer) => parseQmpMessageText(decodeQmpBytes(bytes), true);
    expect(decode(Buffer.from('{"id":12345678901234567890,"s":"é"}'))).toEqual({ id: 12345678901234567890n, s: 'é' });
    expect(() => decode(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toThrow(QmpProtocolError);
    expect(() => decode(Buffer.from('{"a":}'))).toThrow(QmpProtocolError);
  });

  it('parseJsonLossless and stringifyJsonLossless round-trip a uint64 exactly', () => {
    const text = stringifyJsonLossless({ execute: 'block_resize', arguments: { size: 18446744073709551615n } }, 2);
    expect(text).toContain('"size": 18446744073709551615');
    expect(parseJsonLossless(text)).toEqual({ execute: 'block_resize', arguments: { size: 18446744073709551615n } });
    expect(() => parseJsonLossless('{"execute":')).toThrow(/position/);
  });
});

describe('stringifyJsonLossless takes the exact path only where it must', () => {
  it('writes the same text as JSON.stringify for bigint-free values, deep, with toJSON, or indented', () => {
    const write = stringifyJsonLossless;
    let deep: unknown = { leaf: [1, 'a', null, true] };
    for (let i = 0; i < 200; i++) deep = { n: i, next: deep };
    const dated = { at: new Date(0), list: [undefined, () => 1, Number.NaN] };
    for (const value of [deep, dated, { a: { b: [1.5, -0, 'x"\u2028'] } }, [], {}, 'text', 0]) {
      expect(write(value)).toBe(JSON.stringify(value));
      expect(write(value, 2)).toBe(JSON.stringify(value, undefined, 2));
    }
  });

  it('writes bigints exactly wherever they sit, deep ones included', () => {
    const write = stringifyJsonLossless;
    let deep: unknown = { len: 18446744073709551615n };
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(write(deep)).toBe(`${'['.repeat(100)}{"len":18446744073709551615}${']'.repeat(100)}`);
    expect(write({ device: 'd0', len: 18446744073709551615n, offset: 1 })).toBe('{"device":"d0","len":18446744073709551615,"offset":1}');
  });

  it('still refuses a circular value, as JSON.stringify does', () => {
    const write = stringifyJsonLossless;
    const loop: Record<string, unknown> = { a: 1 };
    loop['self'] = loop;
    expect(() => write(loop)).toThrow(TypeError);
  });
});
