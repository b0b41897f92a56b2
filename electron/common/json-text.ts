/**
 * Lossless JSON text: QMP's 64-bit integers survive a round trip through text.
 *
 * QMP carries uint64/int64 values (sizes, offsets, ids such as 12345678901234567890) that a JS
 * `number` would silently round. Both the renderer and the Node core parse and print JSON
 * text through this file, so it uses no Node or DOM API. Ordinary text takes the native
 * `JSON.parse` path; only text that can hold a 16+ digit integer takes the exact path, itself
 * mostly native (json-native-exact.ts), with the hand-written parser below as its fallback.
 */
import { parseJsonNativeExact } from './json-native-exact';

/**
 * A JSON value as parsed here: integers that are not safe integers are `bigint`.
 *
 * The one value type of the app: the QMP core decodes peers' bytes into it and the renderer
 * reads the same text back into it.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;

/** A decoded JSON object (QMP commands, replies and events are all objects). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a JSON object, as opposed to an array, null or a scalar. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 2^53 has 16 digits: an integer without such a digit run is always a safe integer. */
const LONG_RUN = 16;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * True when `text` holds 16 or more digits in a row (so it may hold an unsafe integer).
 *
 * Any such run covers one of every 16 consecutive positions, so only every 16th character is
 * probed and a digit found there is measured both ways. On a 50 MB reply this takes about a
 * tenth of the time `/\d{16}/` does (which retries at every digit), and it runs before every
 * parse of a reply the console shows.
 */
export function hasLongDigitRun(text: string): boolean {
  for (let probe = LONG_RUN - 1; probe < text.length; probe += LONG_RUN) {
    if (!isDigit(text.charCodeAt(probe))) continue;
    let first = probe;
    while (first > 0 && isDigit(text.charCodeAt(first - 1))) first--;
    let last = probe;
    while (last + 1 < text.length && isDigit(text.charCodeAt(last + 1))) last++;
    if (last - first + 1 >= LONG_RUN) return true;
    // The next run starts after `last`; probes stay 16 apart from there.
    probe = last;
  }
  return false;
}

/**
 * Parses JSON text; integers that are not safe integers become `bigint`.
 *
 * Text with a 16+ digit run goes through the native parser with its unsafe integers marked
 * (json-native-exact.ts); only what that cannot take (invalid text, a `\u0000` escape) reaches
 * the hand-written parser, which also words every error the same way.
 *
 * @throws Error naming the character position of the first mistake.
 */
export function parseJsonLossless(text: string): JsonValue {
  if (!hasLongDigitRun(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // V8's message lacks a position for some mistakes: re-parse below for a uniform error.
    }
  } else {
    const value = parseJsonNativeExact(text);
    if (value !== undefined) return value;
  }
  return parseJsonByHand(text);
}

/**
 * The hand-written exact parser alone: the reference the fast paths are tested against, and
 * what decides (and words the error) when they cannot.
 *
 * @throws Error naming the character position of the first mistake.
 */
export function parseJsonByHand(text: string): JsonValue {
  return new LosslessParser(text).parseDocument();
}

/** One open container while parsing: arrays collect items, objects wait for the next key. */
interface OpenContainer {
  readonly array: JsonValue[] | undefined;
  readonly object: JsonObject;
  key: string;
}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\r\n]*/y;

/** Iterative (never recursive) so deep nesting cannot overflow the stack. */
class LosslessParser {
  private pos = 0;

  public constructor(private readonly text: string) {}

  public parseDocument(): JsonValue {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) throw this.fail('unexpected text after the JSON value');
    return value;
  }

  private parseValue(): JsonValue {
    const stack: OpenContainer[] = [];
    for (;;) {
      this.skipWhitespace();
      let value: JsonValue;
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        this.pos++;
        this.skipWhitespace();
        const closer = c === 0x7b ? 0x7d : 0x5d;
        if (this.text.charCodeAt(this.pos) === closer) {
          this.pos++;
          value = c === 0x7b ? {} : [];
        } else {
          const array = c === 0x5b ? [] : undefined;
          stack.push({ array, object: {}, key: array ? '' : this.parseKey() });
          continue;
        }
      } else {
        value = this.parseScalar();
      }
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) return value;
        if (top.array) top.array.push(value);
        else setOwn(top.object, top.key, value);
        this.skipWhitespace();
        const d = this.text.charCodeAt(this.pos);
        if (d === 0x2c /* , */) {
          this.pos++;
          if (!top.array) top.key = this.parseKey();
          break;
        }
        if (d === (top.array ? 0x5d : 0x7d)) {
          this.pos++;
          stack.pop();
          value = top.array ?? top.object;
          continue;
        }
        throw this.fail(`expected ',' or '${top.array ? ']' : '}'}'`);
      }
    }
  }

  private parseKey(): string {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x22) throw this.fail('expected a string key');
    const key = this.parseString();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) throw this.fail("expected ':'");
    this.pos++;
    return key;
  }

  private parseScalar(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x22) return this.parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw this.fail(this.pos >= this.text.length ? 'unexpected end of JSON' : 'expected a JSON value');
  }

  private parseNumber(): number | bigint {
    NUMBER_TOKEN.lastIndex = this.pos;
    const match = NUMBER_TOKEN.exec(this.text);
    if (!match) throw this.fail('malformed number');
    const token = match[0];
    this.pos += token.length;
    const asNumber = Number(token);
    const isInteger = match[1] === undefined && match[2] === undefined;
    return isInteger && !Number.isSafeInteger(asNumber) ? BigInt(token) : asNumber;
  }

  private parseString(): string {
    const start = this.pos;
    let end = this.text.indexOf('"', start + 1);
    while (end !== -1 && isEscaped(this.text, end)) end = this.text.indexOf('"', end + 1);
    if (end === -1) throw this.fail('unterminated string');
    try {
      this.pos = end + 1;
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      this.pos = start;
      throw this.fail('malformed string (bad escape or raw control character)');
    }
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private fail(reason: string): Error {
    return new Error(`Invalid JSON at position ${this.pos}: ${reason}`);
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonValue]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/** A quote is escaped when an odd number of backslashes precede it. */
function isEscaped(text: string, quoteIndex: number): boolean {
  let backslashes = 0;
  for (let i = quoteIndex - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** `__proto__` must become an own key, as with JSON.parse, not replace the prototype. */
function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * Serialises like `JSON.stringify`, but writes `bigint` as its exact digits.
 *
 * Values without bigint go straight to `JSON.stringify`. We look for a bigint first instead of
 * letting `JSON.stringify` throw on one: a thrown TypeError costs about 25 µs (stack capture),
 * which made this the core's costliest step in a flood of `BLOCK_JOB_*` events carrying
 * uint64 lengths, against well under 1 µs for the look on small event data. A top-level
 * `undefined` yields `"null"` so the result is always text.
 */
export function stringifyJsonLossless(value: unknown, indent?: number): string {
  if (!mayHoldBigInt(value, 0)) {
    try {
      return JSON.stringify(value, undefined, indent) ?? 'null';
    } catch (error) {
      if (!(error instanceof TypeError) || !/bigint/i.test(error.message)) throw error;
    }
  }
  const gap = ' '.repeat(Math.max(0, Math.min(10, Math.floor(indent ?? 0))));
  return writeValue(value, '', gap, '', []) ?? 'null';
}

/** Past this depth (or at a `toJSON`) the look gives up and says "maybe": the exact path decides. */
const BIGINT_LOOK_DEPTH = 64;

/** Whether `value` holds a bigint; true also when unsure (deep, circular, or `toJSON` values). */
function mayHoldBigInt(value: unknown, depth: number): boolean {
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object') return false;
  if (depth >= BIGINT_LOOK_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (mayHoldBigInt(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && mayHoldBigInt((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Mirrors JSON.stringify's rules (toJSON, skipped undefined/functions, null for NaN). */
function writeValue(raw: unknown, margin: string, gap: string, key: string, open: unknown[]): string | undefined {
  let value = raw;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (open.includes(value)) throw new TypeError('Converting circular structure to JSON');
  open.push(value);
  const inner = margin + gap;
  const parts: string[] = [];
  const isArray = Array.isArray(value);
  if (isArray) {
    const items = value as readonly unknown[];
    for (let index = 0; index < items.length; index++) {
      parts.push(writeValue(items[index], inner, gap, String(index), open) ?? 'null');
    }
  } else {
    for (const [name, item] of Object.entries(value)) {
      const text = writeValue(item, inner, gap, name, open);
      if (text !== undefined) parts.push(JSON.stringify(name) + (gap ? ': ' : ':') + text);
    }
  }
  open.pop();
  const [openMark, closeMark] = isArray ? ['[', ']'] : ['{', '}'];
  if (parts.length === 0) return openMark + closeMark;
  if (!gap) return openMark + parts.join(',') + closeMark;
  return `${openMark}\n${inner}${parts.join(`,\n${inner}`)}\n${margin}${closeMark}`;
}
