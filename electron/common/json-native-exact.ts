/**
 * Exact 64-bit integers at the native parser's speed: the fast half of `parseJsonLossless`.
 *
 * `JSON.parse` rounds integers past 2^53, and Node 20's V8 gives a reviver no source text. So
 * each integer token that would be rounded is first rewritten in the text as a string holding
 * its digits behind a NUL (`"\u0000184…"`); `JSON.parse` reads that, and a walk over the result
 * turns each such string into a `bigint`. No other string can start with NUL: raw control
 * characters are invalid in JSON strings, and any text holding the escape `\u0000` is left to
 * the hand-written parser. On QEMU text carrying uint64 values (a `BLOCK_JOB_*` flood, a
 * `query-blockstats` reply) this runs two to four times as fast as the hand-written parser.
 */
import type { JsonObject, JsonValue } from './json-text';

const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const NUL = 0;
/** 2^53 has 16 digits: shorter integers are always safe. */
const LONG_RUN = 16;
const MARK = '"\\u0000';

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;

/**
 * Parses `text` like `parseJsonLossless` (integers that are not safe integers become `bigint`),
 * or returns undefined when it cannot: the text is not valid JSON, it holds a `\u0000` escape
 * (the marks would be ambiguous), or a mark did not come back as a value (see `unmark`). The
 * caller then takes the hand-written parser.
 */
export function parseJsonNativeExact(text: string): JsonValue | undefined {
  if (text.includes('\\u0000')) return undefined;
  const marked = markUnsafeIntegers(text);
  let value: JsonValue;
  try {
    value = JSON.parse(marked.text) as JsonValue;
  } catch {
    return undefined;
  }
  return marked.count === 0 ? value : unmark(value, marked.count);
}

/**
 * Rewrites every integer token outside strings that a JS number would round as a marked
 * string. Only tokens valid as JSON integers are rewritten (no leading zero, no fraction or
 * exponent after them), so the rewrite never turns invalid text into valid text, except that
 * a mark can land where an object key goes: `unmark` catches that.
 *
 * Strings are skipped with the native `indexOf`, and a stretch between two strings shorter
 * than 16 characters is not looked at at all: in QMP's events that is nearly every one.
 */
function markUnsafeIntegers(text: string): { text: string; count: number } {
  const n = text.length;
  let parts: string[] | undefined;
  let copied = 0;
  let count = 0;
  let from = 0;
  while (from < n) {
    const quote = text.indexOf('"', from);
    const to = quote < 0 ? n : quote;
    let i = to - from >= LONG_RUN ? from : to;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c !== MINUS && !isDigit(c)) {
        i++;
        continue;
      }
      const digits = c === MINUS ? i + 1 : i;
      let j = digits;
      while (j < to && isDigit(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      if (next === DOT || next === 0x65 /* e */ || next === 0x45 /* E */) {
        // A fraction or exponent: it stays a number, whatever its digits.
        while (j < to && isNumberChar(text.charCodeAt(j))) j++;
      } else if (j - digits >= LONG_RUN && text.charCodeAt(digits) !== ZERO && !Number.isSafeInteger(Number(text.slice(i, j)))) {
        (parts ??= []).push(text.slice(copied, i), MARK, text.slice(i, j), '"');
        copied = j;
        count++;
      }
      i = Math.max(j, i + 1);
    }
    if (quote < 0) break;
    from = stringEnd(text, quote);
  }
  if (!parts) return { text, count: 0 };
  parts.push(text.slice(copied));
  return { text: parts.join(''), count };
}

function isNumberChar(code: number): boolean {
  return isDigit(code) || code === DOT || code === MINUS || code === 0x2b /* + */ || code === 0x65 || code === 0x45;
}

/** Index just past the string that opens at `open` (the text's end if it never closes). */
function stringEnd(text: string, open: number): number {
  let i = open + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) return text.length;
    let backslashes = 0;
    for (let k = close - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    i = close + 1;
  }
}

const isMark = (value: unknown): value is string => typeof value === 'string' && value.charCodeAt(0) === NUL;
const unmarkOne = (mark: string): bigint => BigInt(mark.slice(1));

/**
 * Replaces the `count` marked strings in `value` by their bigint, in place; iterative (an
 * explicit stack), so no nesting `JSON.parse` accepts can exhaust ours, and it stops once all
 * are found. Undefined when some are not found as values: a mark that became an object key
 * (`{12345678901234567890: 1}` is not JSON, its marked text is) or was overwritten by a
 * duplicate key; the hand-written parser then decides.
 */
function unmark(value: JsonValue, count: number): JsonValue | undefined {
  if (isMark(value)) return count === 1 ? unmarkOne(value) : undefined;
  let left = count;
  const stack: JsonValue[] = [value];
  while (stack.length > 0 && left > 0) {
    const container = stack.pop();
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index++) {
        const item = container[index];
        if (isMark(item)) {
          container[index] = unmarkOne(item);
          left--;
        } else if (typeof item === 'object' && item !== null) stack.push(item);
      }
    } else if (typeof container === 'object' && container !== null) {
      const object: JsonObject = container;
      for (const key in object) {
        const item = object[key];
        if (isMark(item)) {
          // An own `__proto__` key (JSON.parse makes one) is redefined, never assigned: that could reach the prototype.
          if (key === '__proto__') Object.defineProperty(object, key, { value: unmarkOne(item), writable: true, enumerable: true, configurable: true });
          else object[key] = unmarkOne(item);
          left--;
        } else if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return left === 0 ? value : undefined;
}
