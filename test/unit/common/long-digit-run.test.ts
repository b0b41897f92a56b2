/**
 * The fast check that decides whether a text may hold an unsafe integer: it must agree with
 * `/\d{16}/` on every text, since a miss would round a uint64 in the native parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasLongDigitRun, parseJsonLossless } from '../../../electron/common/json-text';

describe('hasLongDigitRun', () => {
  it('finds a 16-digit run at every offset and never a 15-digit one', () => {
    for (let offset = 0; offset < 40; offset++) {
      expect(hasLongDigitRun(`${'a'.repeat(offset)}${'1'.repeat(16)}b`), `16 at ${offset}`).toBe(true);
      expect(hasLongDigitRun(`${'a'.repeat(offset)}${'1'.repeat(15)}b`), `15 at ${offset}`).toBe(false);
      expect(hasLongDigitRun(`${'1'.repeat(15)}x${'a'.repeat(offset)}${'2'.repeat(16)}`), `after a short run, at ${offset}`).toBe(true);
    }
    expect(hasLongDigitRun('')).toBe(false);
  });

  it('agrees with /\\d{16}/ on generated texts of digits and separators', () => {
    const text = fc.array(fc.oneof(fc.constantFrom('0', '5', '9', ',', ' ', 'a', '"'), fc.stringMatching(/^\d{1,20}$/)), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (t) => hasLongDigitRun(t) === /\d{16}/.test(t)), { numRuns: 2000 });
  });

  it('keeps a uint64 exact whatever its place in the text', () => {
    for (let pad = 0; pad < 20; pad++) {
      const value = parseJsonLossless(`{"${'k'.repeat(pad)}":18446744073709551615}`) as Record<string, unknown>;
      expect(value['k'.repeat(pad)]).toBe(18446744073709551615n);
    }
  });
});
