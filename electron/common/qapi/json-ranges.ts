/**
 * A JSON parser that remembers where every key and value is, for diagnostics on typed commands.
 *
 * `JSON.parse` says neither where a member is nor whether `1.0` was written as a float (QEMU
 * refuses a float where it wants an integer), so the console parses the command text here:
 * values are the same as {@link parseJsonLossless}'s (integers past 2^53 as bigint), and
 * each value's range is kept with its path. Nesting deeper than {@link MAX_DEPTH} is refused,
 * so no text can exhaust the stack of the recursive descent.
 */
import type { JsonObject, JsonValue } from '../json-text';
import type { ArgumentSpan, TextRange } from './text-range';

/** Deepest nesting accepted; QAPI's deepest argument trees are under 20 levels. */
export const MAX_DEPTH = 256;

/** A JSON text that does not parse, with the range at fault. */
export class JsonRangeError extends Error {
  public constructor(
    message: string,
    public readonly range: TextRange,
  ) {
    super(message);
    this.name = 'JsonRangeError';
  }
}

/** The parsed value and a span for every value under the root (the root's own path is `[]`). */
export interface RangedJson {
  readonly value: JsonValue;
  readonly spans: readonly ArgumentSpan[];
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * Parses `text` as one JSON value (whitespace around it allowed).
 *
 * @throws JsonRangeError naming what is wrong and where.
 */
export function parseJsonRanged(text: string): RangedJson {
  const spans: ArgumentSpan[] = [];
  let pos = 0;

  const fail = (message: string, from = pos, to = Math.min(from + 1, text.length)): never => {
    throw new JsonRangeError(message, { from, to: Math.max(from, to) });
  };
  const skipSpace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const describe = (): string => (pos >= text.length ? 'end of text' : `'${text[pos]}'`);

  const parseString = (): string => {
    const start = pos;
    pos++;
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        try {
          return JSON.parse(text.slice(start, pos)) as string;
        } catch {
          return fail('bad escape in string', start, pos);
        }
      }
      if (c === 0x5c) pos++;
      else if (c < 0x20) fail('control character in string (escape it)');
    }
    return fail('unterminated string', start, text.length);
  };

  const parseValue = (path: (string | number)[], key: TextRange | undefined, depth: number): JsonValue => {
    skipSpace();
    const start = pos;
    let value: JsonValue;
    let floatLiteral = false;
    const c = text[pos];
    if (c === '{') value = parseObject(path, depth);
    else if (c === '[') value = parseArray(path, depth);
    else if (c === '"') value = parseString();
    else if (text.startsWith('true', pos)) [value, pos] = [true, pos + 4];
    else if (text.startsWith('false', pos)) [value, pos] = [false, pos + 5];
    else if (text.startsWith('null', pos)) [value, pos] = [null, pos + 4];
    else {
      NUMBER.lastIndex = pos;
      const match = NUMBER.exec(text);
      if (match === null) return fail(`expected a value, found ${describe()}`);
      pos = NUMBER.lastIndex;
      floatLiteral = match[1] !== undefined || match[2] !== undefined;
      const number = Number(match[0]);
      value = !floatLiteral && !Number.isSafeInteger(number) ? BigInt(match[0]) : number;
    }
    if (path.length > 0) spans.push({ path: [...path], key, value: { from: start, to: pos }, floatLiteral });
    return value;
  };

  const parseObject = (path: (string | number)[], depth: number): JsonObject => {
    if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    pos++;
    const object: JsonObject = {};
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return object;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(`expected a member name in double quotes, found ${describe()}`);
      const keyStart = pos;
      const name = parseString();
      const keyRange = { from: keyStart, to: pos };
      if (Object.hasOwn(object, name)) fail(`'${name}' given twice`, keyStart, pos);
      skipSpace();
      if (text[pos] !== ':') fail(`expected ':' after "${name}", found ${describe()}`);
      pos++;
      const value = parseValue([...path, name], keyRange, depth + 1);
      Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return object;
      }
      fail(`expected ',' or '}', found ${describe()}`);
    }
  };

  const parseArray = (path: (string | number)[], depth: number): JsonValue[] => {
    if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    pos++;
    const items: JsonValue[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return items;
    }
    for (;;) {
      items.push(parseValue([...path, items.length], undefined, depth + 1));
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return items;
      }
      fail(`expected ',' or ']', found ${describe()}`);
    }
  };

  const value = parseValue([], undefined, 0);
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe()} after the value`, pos, text.length);
  return { value, spans };
}
