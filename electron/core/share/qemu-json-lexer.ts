/**
 * QEMU's JSON lexer and streamer (qobject/json-lexer.c, json-streamer.c in 7.2), byte for byte.
 *
 * A shared endpoint must answer malformed input exactly as QEMU does (issue 11), and QEMU is
 * not a strict JSON reader: it accepts single-quoted strings, recovers after a stray byte by
 * skipping to the next structural character, and frames messages by counting brackets over
 * tokens, so one bad line can give two errors and an unclosed `{` swallows what follows.
 * The app's own framer (`qmp/framer.ts`) is strict and stops at the first error, which is
 * right for reading QEMU but wrong for serving clients, hence this second reader.
 */

/** Token kinds, as QEMU's JSONTokenType. */
export const enum Tok {
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  Colon,
  Comma,
  Integer,
  Float,
  Keyword,
  String,
}

/** One token; `text` holds its bytes as latin1 (one char per byte), like QEMU's GString. */
export interface Token {
  readonly type: Tok;
  readonly text: string;
}

/** What the streamer hands on: a balanced token run to parse, or QEMU's error text. */
export type StreamItem = { readonly tokens: readonly Token[] } | { readonly error: string };

/** Limits that keep a hostile client from growing our memory; QEMU's own are larger (64 MiB). */
export interface LexerLimits {
  /** Bytes of one message's tokens (default 8 MiB). */
  readonly maxMessageBytes?: number;
  /** Tokens in one message (default 256 Ki; QEMU 2 Mi, but each of ours costs an object). */
  readonly maxTokens?: number;
  /** Bracket nesting (QEMU's 1024). */
  readonly maxNesting?: number;
}

const START = 0;
const RECOVERY = 1;
const DQ = 2;
const DQ_ESC = 3;
const SQ = 4;
const SQ_ESC = 5;
const ZERO = 6;
const DIGITS = 7;
const SIGN = 8;
const MANTISSA = 9;
const MANTISSA_DIGITS = 10;
const EXP_E = 11;
const EXP_SIGN = 12;
const EXP_DIGITS = 13;
const KEYWORD = 14;

/** The token a structural byte is by itself, or -1 (a switch: cheaper than a keyed lookup per byte). */
function singleByteToken(c: number): Tok | -1 {
  switch (c) {
    case 0x7b:
      return Tok.LCurly;
    case 0x7d:
      return Tok.RCurly;
    case 0x5b:
      return Tok.LSquare;
    case 0x5d:
      return Tok.RSquare;
    case 0x3a:
      return Tok.Colon;
    case 0x2c:
      return Tok.Comma;
    default:
      return -1;
  }
}

/**
 * Incremental QEMU-compatible tokenizer plus bracket-counting streamer.
 *
 * `push` takes raw bytes and calls `emit` for each message or error in wire order.
 */
export class QemuJsonStreamer {
  private state = START;
  /** The current token's bytes from earlier chunks, as latin1. */
  private carry = '';
  private tokens: Token[] = [];
  private tokenBytes = 0;
  private braces = 0;
  private brackets = 0;
  private readonly maxMessageBytes: number;
  private readonly maxTokens: number;
  private readonly maxNesting: number;

  public constructor(limits: LexerLimits = {}) {
    this.maxMessageBytes = limits.maxMessageBytes ?? 8 * 1024 * 1024;
    this.maxTokens = limits.maxTokens ?? 256 * 1024;
    this.maxNesting = limits.maxNesting ?? 1024;
  }

  /** Bytes held for an unfinished message (tokens plus the token being read). */
  public get heldBytes(): number {
    return this.tokenBytes + this.carry.length;
  }

  /** Nothing held between messages: the next chunk is read from a clean start. */
  public get idle(): boolean {
    return this.state === START && this.tokens.length === 0 && this.carry === '';
  }

  /** Feeds bytes; `emit` sees every complete message or error, in order. */
  public push(chunk: Buffer, emit: (item: StreamItem) => void): void {
    let tokenStart = 0; // where the current token began in this chunk
    const text = chunk.toString('latin1');
    for (let i = 0; i < chunk.length; ) {
      const c = chunk[i]!;
      const s = this.state;
      if (s === START) {
        tokenStart = i;
        i++;
        if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) continue;
        const single = singleByteToken(c);
        if (single !== -1) this.token(single, text.slice(tokenStart, i), emit);
        else if (c === 0x22) this.state = DQ;
        else if (c === 0x27) this.state = SQ;
        else if (c === 0x30) this.state = ZERO;
        else if (c >= 0x31 && c <= 0x39) this.state = DIGITS;
        else if (c === 0x2d) this.state = SIGN;
        else if (c >= 0x61 && c <= 0x7a) this.state = KEYWORD;
        else this.error(text.slice(tokenStart, i), emit);
        continue;
      }
      if (s === RECOVERY) {
        // QEMU resynchronises on structural characters, control bytes other than tab, and 0xFE/0xFF.
        if ((c < 0x20 && c !== 0x09) || c >= 0xfe || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) this.state = START;
        else i++;
        continue;
      }
      if (s === DQ || s === SQ) {
        // Scan a run of plain string bytes at native speed.
        const quote = s === DQ ? 0x22 : 0x27;
        let j = i;
        while (j < chunk.length) {
          const b = chunk[j]!;
          if (b === quote || b === 0x5c || b < 0x20 || b >= 0xfe) break;
          j++;
        }
        i = j;
        if (i === chunk.length) break;
        const b = chunk[i]!;
        i++;
        if (b === quote) this.token(Tok.String, this.take(text, tokenStart, i), emit);
        else if (b === 0x5c) this.state = s === DQ ? DQ_ESC : SQ_ESC;
        else this.error(this.take(text, tokenStart, i), emit);
        continue;
      }
      if (s === DQ_ESC || s === SQ_ESC) {
        i++;
        if (c >= 0x20 && c <= 0xfd) this.state = s === DQ_ESC ? DQ : SQ;
        else this.error(this.take(text, tokenStart, i), emit);
        continue;
      }
      // Numbers and keywords: either the byte extends the token, ends it (lookahead, any
      // ASCII byte; re-read in START), or is an error (consumed into the token).
      const next = numberOrKeyword(s, c);
      if (next >= 0) {
        this.state = next;
        i++;
      } else if (next === TERMINAL && c < 0x80) {
        const type = s === ZERO || s === DIGITS ? Tok.Integer : s === KEYWORD ? Tok.Keyword : Tok.Float;
        this.token(type, this.take(text, tokenStart, i), emit);
      } else {
        i++;
        this.error(this.take(text, tokenStart, i), emit);
      }
    }
    if (this.state !== START && this.state !== RECOVERY) {
      this.carry += text.slice(this.carryStartFor(tokenStart));
      if (this.heldBytes > this.maxMessageBytes) this.limit('JSON token size limit exceeded', emit);
    }
  }

  /** At end of input QEMU parses what it holds (a lone `true` with no byte after it, say). */
  public end(emit: (item: StreamItem) => void): void {
    const s = this.state;
    if (s === ZERO || s === DIGITS || s === KEYWORD || s === MANTISSA_DIGITS || s === EXP_DIGITS) {
      const type = s === ZERO || s === DIGITS ? Tok.Integer : s === KEYWORD ? Tok.Keyword : Tok.Float;
      this.token(type, this.carry, emit);
    }
    this.carry = '';
    this.state = START;
    if (this.tokens.length > 0) this.flush(emit);
  }

  // A token that began in an earlier chunk began at index 0 of this one.
  private carryStartFor(tokenStart: number): number {
    return this.carry === '' ? tokenStart : 0;
  }

  private take(text: string, tokenStart: number, end: number): string {
    if (this.carry === '') return text.slice(tokenStart, end);
    const whole = this.carry + text.slice(0, end);
    this.carry = '';
    return whole;
  }

  private error(text: string, emit: (item: StreamItem) => void): void {
    this.carry = '';
    this.state = RECOVERY;
    this.reset();
    // QEMU prints the token's bytes; its JSON writer turns invalid UTF-8 into U+FFFD, as utf8 decoding does.
    emit({ error: `JSON parse error, stray '${Buffer.from(text, 'latin1').toString('utf8')}'` });
  }

  private limit(message: string, emit: (item: StreamItem) => void): void {
    this.carry = '';
    this.state = RECOVERY;
    this.reset();
    emit({ error: message });
  }

  private token(type: Tok, text: string, emit: (item: StreamItem) => void): void {
    this.state = START;
    if (type === Tok.LCurly) this.braces++;
    else if (type === Tok.RCurly) this.braces--;
    else if (type === Tok.LSquare) this.brackets++;
    else if (type === Tok.RSquare) this.brackets--;
    if (this.tokenBytes + text.length + 1 > this.maxMessageBytes) return this.limit('JSON token size limit exceeded', emit);
    if (this.tokens.length + 1 > this.maxTokens) return this.limit('JSON token count limit exceeded', emit);
    if (this.braces + this.brackets > this.maxNesting) return this.limit('JSON nesting depth limit exceeded', emit);
    this.tokens.push({ type, text });
    this.tokenBytes += text.length;
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;
    this.flush(emit);
  }

  private flush(emit: (item: StreamItem) => void): void {
    const tokens = this.tokens;
    this.reset();
    emit({ tokens });
  }

  private reset(): void {
    this.tokens = [];
    this.tokenBytes = 0;
    this.braces = 0;
    this.brackets = 0;
  }
}

/** `numberOrKeyword` result: the byte ends the token (if ASCII; else it is an error). */
const TERMINAL = -1;
/** `numberOrKeyword` result: the byte is an error inside the token. */
const ERROR = -2;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** QEMU's transition table for number and keyword states: the next state, TERMINAL or ERROR. */
function numberOrKeyword(s: number, c: number): number {
  switch (s) {
    case ZERO:
      if (isDigit(c)) return ERROR;
      return c === 0x2e ? MANTISSA : c === 0x65 || c === 0x45 ? EXP_E : TERMINAL;
    case DIGITS:
      if (isDigit(c)) return DIGITS;
      return c === 0x2e ? MANTISSA : c === 0x65 || c === 0x45 ? EXP_E : TERMINAL;
    case SIGN:
      return c === 0x30 ? ZERO : isDigit(c) ? DIGITS : ERROR;
    case MANTISSA:
      return isDigit(c) ? MANTISSA_DIGITS : ERROR;
    case MANTISSA_DIGITS:
      if (isDigit(c)) return MANTISSA_DIGITS;
      return c === 0x65 || c === 0x45 ? EXP_E : TERMINAL;
    case EXP_E:
      return c === 0x2b || c === 0x2d ? EXP_SIGN : isDigit(c) ? EXP_DIGITS : ERROR;
    case EXP_SIGN:
      return isDigit(c) ? EXP_DIGITS : ERROR;
    case EXP_DIGITS:
      return isDigit(c) ? EXP_DIGITS : TERMINAL;
    default: // KEYWORD
      return c >= 0x61 && c <= 0x7a ? KEYWORD : TERMINAL;
  }
}
