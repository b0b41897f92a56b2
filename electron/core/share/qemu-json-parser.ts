/**
 * QEMU's JSON parser (qobject/json-parser.c in 7.2) over the streamer's tokens.
 *
 * Only the first error counts and is worded as QEMU words it ("JSON parse error, expecting
 * value"), because clients and tests compare the `desc` text. Values come out as the app's
 * lossless `JsonValue` (integers beyond 2^53 as bigint), so they are forwarded exactly.
 */
import type { JsonObject, JsonValue } from '../../common/json-text';
import { Tok, type Token } from './qemu-json-lexer';

/** The parse result: a value, or QEMU's error text. */
export type ParseResult = { readonly value: JsonValue } | { readonly error: string };

class ParseFailure extends Error {}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one balanced token run, as `json_parser_parse` does. */
export function parseQemuTokens(tokens: readonly Token[]): ParseResult {
  const parser = new Parser(tokens);
  try {
    return { value: parser.value() };
  } catch (error) {
    if (error instanceof ParseFailure) return { error: `JSON parse error, ${error.message}` };
    throw error;
  }
}

class Parser {
  private pos = 0;
  public constructor(private readonly tokens: readonly Token[]) {}

  public value(): JsonValue {
    const token = this.tokens[this.pos];
    if (token === undefined) throw new ParseFailure('premature EOI');
    switch (token.type) {
      case Tok.LCurly:
        return this.object();
      case Tok.LSquare:
        return this.array();
      case Tok.Integer:
      case Tok.Float:
        this.pos++;
        return parseNumber(token);
      case Tok.String:
        this.pos++;
        return parseString(token.text);
      case Tok.Keyword:
        this.pos++;
        if (token.text === 'true') return true;
        if (token.text === 'false') return false;
        if (token.text === 'null') return null;
        throw new ParseFailure(`invalid keyword '${token.text}'`);
      default:
        throw new ParseFailure('expecting value');
    }
  }

  private pop(): Token {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new ParseFailure('premature EOI');
    return token;
  }

  private object(): JsonObject {
    this.pos++;
    const dict: Record<string, JsonValue> = {};
    const peek = this.tokens[this.pos];
    if (peek === undefined) throw new ParseFailure('premature EOI');
    if (peek.type === Tok.RCurly) {
      this.pos++;
      return dict;
    }
    this.pair(dict);
    for (let token = this.pop(); token.type !== Tok.RCurly; token = this.pop()) {
      if (token.type !== Tok.Comma) throw new ParseFailure('expected separator in dict');
      this.pair(dict);
    }
    return dict;
  }

  private pair(dict: Record<string, JsonValue>): void {
    if (this.tokens[this.pos] === undefined) throw new ParseFailure('premature EOI');
    const key = this.value();
    if (typeof key !== 'string') throw new ParseFailure('key is not a string in object');
    if (this.pop().type !== Tok.Colon) throw new ParseFailure('missing : in object pair');
    const value = this.value();
    if (Object.hasOwn(dict, key)) throw new ParseFailure('duplicate key');
    // A client's "__proto__" key must be data, not our prototype; every other key is set plainly
    // (the same own data property, without defineProperty's descriptor object per key).
    if (key === '__proto__') Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
    else dict[key] = value;
  }

  private array(): JsonValue[] {
    this.pos++;
    const list: JsonValue[] = [];
    const peek = this.tokens[this.pos];
    if (peek === undefined) throw new ParseFailure('premature EOI');
    if (peek.type === Tok.RSquare) {
      this.pos++;
      return list;
    }
    list.push(this.value());
    for (let token = this.pop(); token.type !== Tok.RSquare; token = this.pop()) {
      if (token.type !== Tok.Comma) throw new ParseFailure('expected separator in list');
      list.push(this.value());
    }
    return list;
  }
}

/** int64, else uint64, else a double, as QEMU's parse_literal tries them. */
function parseNumber(token: Token): JsonValue {
  if (token.type === Tok.Integer) {
    const n = Number(token.text);
    // An integer `-0` is int64 0 to QEMU (only a float keeps its sign: `-0.0` comes back `-0`).
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    const big = BigInt(token.text);
    if ((big >= INT64_MIN && big <= INT64_MAX) || (big >= 0n && big <= UINT64_MAX)) return big;
    return n;
  }
  return Number(token.text);
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes a quoted token (latin1 bytes) the way QEMU's parse_string does. */
function parseString(raw: string): string {
  const quote = raw[0]!;
  let out = '';
  let i = 1;
  const end = raw.length - 1; // the closing quote
  while (i < end) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const code = raw[i + 1]!;
      const simple = ESCAPES[code];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      if (code !== 'u') throw new ParseFailure('invalid escape sequence in string');
      const begin = i;
      let cp = hex4(raw, i + 2);
      i += 6;
      if (cp >= 0xd800 && cp <= 0xdbff && raw[i] === '\\' && raw[i + 1] === 'u') {
        const trailing = hex4(raw, i + 2);
        if (trailing >= 0xdc00 && trailing <= 0xdfff) {
          cp = 0x10000 + ((cp & 0x3ff) << 10) + (trailing & 0x3ff);
          i += 6;
        } else cp = -1;
      }
      if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) throw new ParseFailure(`${raw.slice(begin, i)} is not a valid Unicode character`);
      out += String.fromCodePoint(cp);
      continue;
    }
    if (ch.charCodeAt(0) < 0x80) {
      if (ch === quote) break;
      out += ch;
      i++;
      continue;
    }
    // A run of non-ASCII bytes: strict UTF-8, as QEMU's mod_utf8_codepoint.
    let j = i;
    while (j < end && raw.charCodeAt(j) >= 0x80) j++;
    try {
      out += utf8.decode(Buffer.from(raw.slice(i, j), 'latin1'));
    } catch {
      throw new ParseFailure('invalid UTF-8 sequence in string');
    }
    i = j;
  }
  return out;
}

function hex4(raw: string, at: number): number {
  const digits = raw.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : -1;
}
