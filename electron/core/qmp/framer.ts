/**
 * Splits QMP's byte stream into messages by JSON structure.
 *
 * QEMU's `pretty=on` spreads one message over many CRLF lines and recv() cuts chunks anywhere,
 * so a newline never marks a message by itself. It is a good hint though: QEMU ends every
 * message with `}` CRLF, and in pretty mode the closing `}` alone starts a line. So the fast
 * path takes the text up to such a point as a candidate and lets the native `JSON.parse`
 * decide whether it is exactly one object (JSON values are self-delimiting, so if it parses,
 * that IS where the object ends). Whenever a candidate fails, or a chunk ends right after a
 * `}`, the exact byte scanner (`framer-scan.ts`) frames the message instead. Either way the
 * message is fully validated; limits keep a hostile peer from growing our buffer without
 * bound or nesting deeper than any consumer can walk.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { QmpProtocolError } from './errors';
import { checkParsedMessage } from './framer-check';
import { newScanState, scanMessage, strayByte, type ScanState } from './framer-scan';
import { decodeQmpBytes, parseQmpMessageText, tryParseQmpText } from './decode-message';
import { readEventLine } from './event-line';
import type { JsonObject } from '../../common/json-text';

/** Limits a framer enforces. */
export interface FramerOptions {
  /** Largest message in bytes; default 64 MiB. Exceeding it is a protocol error. */
  readonly maxMessageBytes?: number;
  /** Deepest bracket nesting accepted; default 512. */
  readonly maxDepth?: number;
}

/** Default message size limit: QEMU's largest real reply (query-qmp-schema) is ~200 KB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Default nesting limit: real QMP never goes past ~10. */
export const DEFAULT_MAX_DEPTH = 512;

/** Where the framer is in the stream. */
const BETWEEN = 0; // before a message: skipping whitespace
const LINE = 1; // in a message, waiting for the newline that ends a compact message
const PRETTY = 2; // in a multi-line message, waiting for a line that starts with `}`
const SCAN = 3; // in a message that the byte scanner frames

const NEWLINE = 0x0a;
/** Unterminated tails up to this size are scanned at once (see `smallTailIsComplete`). */
const SMALL_TAIL = 1024;
/** Held messages up to this size also keep their latin1 text (see `hold`). */
const TEXT_HOLD_LIMIT = 1024 * 1024;
const CLOSE_BRACE = 0x7d;

/**
 * Incremental framer: feed chunks with `push`, receive whole decoded objects.
 *
 * After it throws, the framer is poisoned (the stream position is unknown) and every later
 * call throws the same error: the connection must be closed.
 */
export class QmpFramer {
  private readonly maxMessageBytes: number;
  private readonly maxDepth: number;
  private mode = BETWEEN;
  /** The unfinished message's bytes from earlier chunks (slices, not copies). */
  private pending: Buffer[] = [];
  /** The same held bytes as latin1 text while every piece was ASCII (saves a copy and a decode). */
  private pendingText: string[] | undefined = [];
  private pendingBytes = 0;
  private scan: ScanState;
  /** The byte scanner's progress through the held message, when chunks ended in a close. */
  private catchUp: { state: ScanState; pieces: number } | undefined;
  private failure: Error | undefined;

  public constructor(options: FramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!(this.maxMessageBytes > 0) || !(this.maxDepth > 0)) throw new RangeError('framer limits must be positive');
    this.scan = newScanState(this.maxDepth);
  }

  /** Bytes of an unfinished message held so far (0 between messages). */
  public get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Feeds one chunk; calls `onMessage` for each complete message, in order.
   *
   * The framer may keep slices of `chunk` until its message completes, so the caller must not
   * reuse the buffer (net.Socket never does).
   *
   * @throws QmpProtocolError on malformed JSON, a non-object message, invalid UTF-8,
   *   nesting beyond `maxDepth` or a message beyond `maxMessageBytes`. An error thrown by
   *   `onMessage` propagates unchanged; either way the framer is poisoned afterwards.
   */
  public push(chunk: Buffer, onMessage: (message: JsonObject) => void): void {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return;
    try {
      this.consume(chunk, onMessage);
    } catch (error) {
      this.failure =
        error instanceof QmpProtocolError
          ? error
          : new QmpProtocolError(`stream abandoned after a failure: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  }

  /**
   * Called at EOF: delivers any whole message still held, and returns how many bytes of a
   * half-received message are dropped (0 if none).
   *
   * The newline hint can leave a complete message held behind an unfinished one when a peer
   * sends no newline between them; at EOF no more bytes will come, so the held bytes are framed
   * exactly here and only the true remainder is dropped.
   */
  public end(onMessage?: (message: JsonObject) => void): number {
    const held = this.failure || this.pendingBytes === 0 ? undefined : Buffer.concat(this.pending, this.pendingBytes);
    const dropped = this.pendingBytes;
    this.release();
    this.mode = BETWEEN;
    this.scan = newScanState(this.maxDepth);
    if (!held || !onMessage) return dropped;
    return this.flushHeld(held, onMessage);
  }

  /** Frames whole messages out of `held` with the exact scanner; returns the bytes left over. */
  private flushHeld(held: Buffer, onMessage: (message: JsonObject) => void): number {
    let pos = 0;
    for (;;) {
      while (pos < held.length && isWhitespace(held[pos]!)) pos++;
      if (pos === held.length) return 0;
      const state = newScanState(this.maxDepth);
      let message: JsonObject;
      try {
        if (held[pos] !== 0x7b) return held.length - pos;
        const end = scanMessage(state, held, pos);
        if (end < 0) return held.length - pos;
        message = parseQmpMessageText(decodeQmpBytes(held.subarray(pos, end)), state.longNumber) as JsonObject;
        pos = end;
      } catch {
        return held.length - pos; // malformed tail at EOF: counted as dropped, the stream is over anyway
      }
      onMessage(message);
    }
  }

  private consume(input: Buffer, onMessage: (message: JsonObject) => void): void {
    let chunk = input;
    // The current message starts at `start` in this chunk (0 when it began in an earlier one).
    let start = 0;
    let searchFrom = 0;
    let text: string | null | undefined; // the chunk as latin1 if it is ASCII, decoded lazily
    let pos = 0;
    for (;;) {
      if (this.mode === BETWEEN) {
        while (pos < chunk.length && isWhitespace(chunk[pos]!)) pos++;
        if (pos === chunk.length) return;
        if (chunk[pos] !== 0x7b) throw strayByte(chunk[pos]!);
        start = pos;
        searchFrom = pos + 1;
        this.mode = LINE;
      }
      if (this.mode === SCAN) {
        const end = scanMessage(this.scan, chunk, this.pendingBytes > 0 ? 0 : start);
        if (end < 0) return this.hold(chunk, start);
        const longNumber = this.scan.longNumber;
        this.scan = newScanState(this.maxDepth);
        this.mode = BETWEEN;
        pos = end;
        onMessage(parseQmpMessageText(decodeQmpBytes(this.take(chunk, start, end)), longNumber) as JsonObject);
        continue;
      }
      // LINE or PRETTY: find the candidate end the hint points at.
      let end = -1;
      if (text === undefined) text = isAscii(chunk) ? chunk.toString('latin1') : null;
      if (this.mode === LINE) {
        // String#indexOf is a cheap builtin; Buffer#indexOf is a native call per message.
        const newline = text !== null ? text.indexOf('\n', searchFrom) : chunk.indexOf(NEWLINE, searchFrom);
        if (newline >= 0 && !lineEndsWithBrace(chunk, newline, this.pendingBytes > 0 ? 0 : start, this.pendingBytes > 0)) {
          this.mode = PRETTY;
          searchFrom = newline;
        } else if (newline >= 0) {
          end = newline + 1;
        }
      }
      if (this.mode === PRETTY) {
        const atEdge = searchFrom === 0 && chunk[0] === CLOSE_BRACE && this.pendingEndsWithNewline();
        const found = atEdge ? -1 : text !== null ? findLineStartingWithBrace(text, searchFrom) : chunk.indexOf('\n}', searchFrom);
        if (atEdge) end = 1;
        else if (found >= 0) end = found + 2;
      }
      if (end < 0) {
        if ((endsWithClose(chunk, start) && this.scanCatchesUp(chunk, start)) || (this.pendingBytes === 0 && this.smallTailIsComplete(chunk, start))) {
          // The message may be complete without a newline after it: frame it exactly now.
          chunk = this.switchToScan(chunk, start);
          start = 0;
          text = undefined;
          continue;
        }
        return this.hold(chunk, start, text);
      }
      const message = this.tryCandidate(chunk, start, end, text);
      if (message === undefined) {
        chunk = this.switchToScan(chunk, start);
        start = 0;
        text = undefined;
        continue;
      }
      this.mode = BETWEEN;
      pos = end;
      onMessage(message);
    }
  }

  /**
   * Parses bytes [start, end) of the message as a candidate; undefined if it is not exactly
   * one valid object (the caller then frames it exactly).
   */
  private tryCandidate(chunk: Buffer, start: number, end: number, text: string | null): JsonObject | undefined {
    let candidate: string;
    const length = this.pendingBytes + end - (this.pendingBytes > 0 ? 0 : start);
    if (length > this.maxMessageBytes) return undefined;
    if (text && this.pendingBytes === 0) {
      candidate = text.slice(start, end);
    } else if (text && this.pendingText) {
      candidate = [...this.pendingText, text.slice(0, end)].join('');
    } else {
      const bytes = this.pendingBytes > 0 ? Buffer.concat([...this.pending, chunk.subarray(0, end)], length) : chunk.subarray(start, end);
      if (isAscii(bytes)) candidate = bytes.toString('latin1');
      else if (isUtf8(bytes)) candidate = bytes.toString('utf8');
      else return undefined;
    }
    const value = readEventLine(candidate) ?? (tryParseQmpText(candidate) as JsonObject | undefined);
    if (value === undefined) return undefined;
    this.release();
    // Nesting past the limit takes over 2 × maxDepth brackets, so a shorter message (every
    // event) needs no walk: and `tryParseQmpText` already read any long integer exactly.
    if (candidate.length <= 2 * this.maxDepth) return value;
    const lostPrecision = checkParsedMessage(value, this.maxDepth);
    return lostPrecision ? (parseQmpMessageText(candidate, true) as JsonObject) : value;
  }

  /**
   * Scans the held message up to the end of this chunk, resuming where the last call stopped;
   * true if the message is complete (the caller then frames it exactly).
   *
   * Called when a chunk ends in `}` or `]` with no newline after: the message may be whole
   * and the peer idle, so it must not wait for more bytes. Resuming (by held piece) keeps the
   * total scanning to at most one pass over the message, however many chunks end that way.
   */
  private scanCatchesUp(chunk: Buffer, start: number): boolean {
    const catchUp = (this.catchUp ??= { state: newScanState(this.maxDepth), pieces: 0 });
    for (; catchUp.pieces < this.pending.length; catchUp.pieces++) {
      if (scanMessage(catchUp.state, this.pending[catchUp.pieces]!, 0) >= 0) return true;
    }
    if (scanMessage(catchUp.state, chunk, this.pendingBytes > 0 ? 0 : start) >= 0) return true;
    catchUp.pieces++; // the caller now holds this chunk's part as the next piece
    return false;
  }

  /**
   * True if a short unterminated tail already holds a whole message (a peer that sends no
   * newline, or garbage after a message): scanning up to 1 KiB is cheap, and it means such a
   * message is delivered now rather than with the next chunk.
   */
  private smallTailIsComplete(chunk: Buffer, start: number): boolean {
    if (chunk.length - start > SMALL_TAIL) return false;
    try {
      return scanMessage(newScanState(this.maxDepth), chunk, start) >= 0;
    } catch {
      return true; // let the exact path raise the error
    }
  }

  /** Hands the current message (held bytes plus this chunk) to the byte scanner. */
  private switchToScan(chunk: Buffer, start: number): Buffer {
    this.mode = SCAN;
    this.catchUp = undefined;
    this.scan = newScanState(this.maxDepth);
    if (this.pendingBytes === 0) return chunk.subarray(start);
    const joined = Buffer.concat([...this.pending, chunk]);
    this.release();
    return joined;
  }

  /** The bytes of a message that ends at `end` in this chunk, joined with held bytes. */
  private take(chunk: Buffer, start: number, end: number): Buffer {
    if (this.pendingBytes === 0) {
      if (end - start > this.maxMessageBytes) throw tooLarge(this.maxMessageBytes);
      return chunk.subarray(start, end);
    }
    const length = this.pendingBytes + end;
    if (length > this.maxMessageBytes) throw tooLarge(this.maxMessageBytes);
    const bytes = Buffer.concat([...this.pending, chunk.subarray(0, end)], length);
    this.release();
    return bytes;
  }

  /** Holds the unfinished message's part of this chunk, failing as soon as it passes the limit. */
  private hold(chunk: Buffer, start: number, text?: string | null): void {
    const from = this.pendingBytes > 0 ? 0 : start;
    const bytes = chunk.length - from;
    if (this.pendingBytes + bytes > this.maxMessageBytes) throw tooLarge(this.maxMessageBytes);
    if (this.pendingBytes === 0) this.pendingText = [];
    this.pending.push(from === 0 ? chunk : chunk.subarray(from));
    // Past 1 MiB the text copy would double the memory a big reply holds: join bytes instead.
    if (this.pendingText && text && this.pendingBytes + bytes <= TEXT_HOLD_LIMIT) {
      this.pendingText.push(from === 0 ? text : text.slice(from));
    } else {
      this.pendingText = undefined;
    }
    this.pendingBytes += bytes;
  }

  /** Forgets the held bytes once they became a message. */
  private release(): void {
    if (this.pendingBytes > 0) {
      this.pending = [];
      this.pendingText = [];
      this.pendingBytes = 0;
    }
    this.catchUp = undefined;
  }

  private pendingEndsWithNewline(): boolean {
    const last = this.pending[this.pending.length - 1];
    return last !== undefined && last[last.length - 1] === NEWLINE;
  }
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0d || c === 0x0a || c === 0x09;
}

/** True if the line ending at `newline` ends in `}` (or may: its end lies in held bytes). */
function lineEndsWithBrace(chunk: Buffer, newline: number, lowest: number, held: boolean): boolean {
  let i = newline - 1;
  while (i >= lowest && isWhitespace(chunk[i]!)) i--;
  return i < lowest ? held : chunk[i] === CLOSE_BRACE;
}

/**
 * Index of the first newline at or after `from` that is followed by `}`, or -1.
 *
 * Same answer as `text.indexOf('\n}', from)`, but searches for the brace: a pretty message has
 * about five times fewer braces than newlines, and each hit of the first character restarts
 * the native search.
 */
function findLineStartingWithBrace(text: string, from: number): number {
  let brace = from;
  while ((brace = text.indexOf('}', brace + 1)) >= 0) {
    if (text.charCodeAt(brace - 1) === NEWLINE) return brace - 1;
  }
  return -1;
}

/** True if the chunk's last non-whitespace byte (at or after `start`) is `}` or `]`. */
function endsWithClose(chunk: Buffer, start: number): boolean {
  let i = chunk.length - 1;
  while (i >= start && isWhitespace(chunk[i]!)) i--;
  return i >= start && (chunk[i] === CLOSE_BRACE || chunk[i] === 0x5d);
}

function tooLarge(limit: number): QmpProtocolError {
  return new QmpProtocolError(`message exceeds the ${limit}-byte limit`);
}
