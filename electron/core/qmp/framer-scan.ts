/**
 * The framer's exact fallback: finds where a JSON object ends by tracking strings and depth.
 *
 * The framer first lets `JSON.parse` confirm a candidate end (a newline after `}`); this
 * byte loop takes over when that fails (odd formatting, several messages on one line, a
 * message cut by the chunk edge right after its `}`), and catches nesting beyond the limit
 * while the message is still arriving. It reads raw bytes: every structural character is ASCII and every byte
 * of a multi-byte UTF-8 sequence is >= 0x80, so UTF-8 can never look like a quote or bracket.
 */
import { QmpProtocolError } from './errors';

/** Scanner state carried from one chunk to the next. */
export interface ScanState {
  readonly maxDepth: number;
  /** Bracket depth; 0 means between messages. */
  depth: number;
  inString: boolean;
  /** The chunk ended right after an odd run of backslashes inside a string. */
  escaped: boolean;
  /** Length of the digit run the chunk ended in (a number cut by the chunk boundary). */
  digitRun: number;
  /** The current message holds a 16+ digit run outside strings: it may need bigint. */
  longNumber: boolean;
}

const SPACE = 0x20;
const PLAIN = 0;
const QUOTE = 1;
const OPEN = 2;
const CLOSE = 3;
const DIGIT = 4;

/** One lookup per byte instead of a chain of comparisons. */
const CHAR_CLASS = (() => {
  const table = new Uint8Array(256);
  table[0x22] = QUOTE;
  table[0x7b] = OPEN;
  table[0x5b] = OPEN;
  table[0x7d] = CLOSE;
  table[0x5d] = CLOSE;
  for (let c = 0x30; c <= 0x39; c++) table[c] = DIGIT;
  return table;
})();

/** A 16-digit integer may already exceed 2^53; shorter ones never do. */
const LONG_RUN = 16;

/**
 * Scans one message from `from` until its closing brace; returns the index just past it.
 *
 * Returns -1 when the chunk ends first; `state` then carries on with the next chunk (from 0).
 * A new message must start with `{` at `from` (the framer checks that).
 *
 * @throws QmpProtocolError on nesting beyond `maxDepth`.
 */
export function scanMessage(state: ScanState, bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  const maxDepth = state.maxDepth;
  let depth = state.depth;
  let longNumber = state.longNumber;
  let run = CHAR_CLASS[bytes[from]!] === DIGIT ? state.digitRun : 0;
  let i = from;
  if (state.inString) {
    i = skipString(bytes, state.escaped ? from + 1 : from);
    if (i > n) {
      state.escaped = i === n + 1;
      return -1;
    }
    state.inString = false;
  }
  state.escaped = false;
  while (i < n) {
    const c = bytes[i]!;
    // Pretty output is mostly indentation: a tight loop over a run of spaces.
    if (c === SPACE) {
      do i++;
      while (i < n && bytes[i] === SPACE);
      continue;
    }
    const kind = CHAR_CLASS[c];
    if (kind === PLAIN) {
      i++;
    } else if (kind === QUOTE) {
      i = skipString(bytes, i + 1);
      if (i > n) {
        state.inString = true;
        state.escaped = i === n + 1;
        break;
      }
    } else if (kind === DIGIT) {
      let j = i + 1;
      while (j < n && CHAR_CLASS[bytes[j]!] === DIGIT) j++;
      run += j - i;
      if (run >= LONG_RUN) longNumber = true;
      if (j < n) run = 0;
      i = j;
    } else if (kind === OPEN) {
      if (++depth > maxDepth) throw new QmpProtocolError(`message nested deeper than ${maxDepth} levels`);
      i++;
    } else {
      i++;
      if (--depth === 0) {
        state.depth = 0;
        state.longNumber = longNumber;
        state.digitRun = 0;
        return i;
      }
    }
  }
  state.depth = depth;
  state.longNumber = longNumber;
  state.digitRun = run;
  return -1;
}

/** A fresh scanner state for a message that starts now. */
export function newScanState(maxDepth: number): ScanState {
  return { maxDepth, depth: 0, inString: false, escaped: false, digitRun: 0, longNumber: false };
}

/**
 * Returns the index just past the quote that closes a string whose body starts at `from`.
 *
 * A plain loop beats `indexOf` here: QMP strings are short, so the call would cost more
 * than the bytes it skips. Past the end of the chunk it returns `length + 2` (still inside
 * the string) or `length + 1` (the chunk ended on an escaping backslash, so the next chunk's
 * first byte is escaped).
 */
function skipString(bytes: Uint8Array, from: number): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const c = bytes[i]!;
    if (c === 0x22) return i + 1;
    i += c === 0x5c ? 2 : 1;
  }
  return i === n ? n + 2 : n + 1;
}

/** The error for a byte that cannot start a message (QMP messages are JSON objects). */
export function strayByte(c: number): QmpProtocolError {
  const shown = c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  const hint = c === 0x5b || c === 0x22 || (c >= 0x30 && c <= 0x39) || c === 0x2d ? ' (a QMP message must be a JSON object)' : '';
  return new QmpProtocolError(`unexpected ${shown} between messages${hint}`);
}
