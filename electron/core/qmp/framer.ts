/**
 * Splits QMP's byte stream into messages by JSON structure.
 *
 * QEMU's `pretty=on` spreads one message over many CRLF lines and recv() cuts chunks anywhere,
 * so newlines mean nothing: we track string/escape state and bracket depth, and hand each
 * complete top-level object to the parser. Limits keep a hostile peer from growing our buffer
 * without bound or nesting deeper than any consumer can walk.
 *
 * Speed matters (a busy VM sends thousands of events a second), so the bytes are scanned once
 * in a tight loop (`framer-scan.ts`), a message that lies inside one chunk is decoded straight
 * from it without copying, and pure-ASCII messages (all of QEMU's) skip UTF-8 validation.
 */
import { isAscii } from 'node:buffer';
import { QmpProtocolError } from './errors';
import { scanChunk, type ScanState } from './framer-scan';
import { decodeQmpBytes, parseQmpMessageText } from './lossless-json';
import type { QmpObject } from './types';

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

/**
 * Incremental framer: feed chunks with `push`, receive whole decoded objects.
 *
 * After it throws, the framer is poisoned (the stream position is unknown) and every later
 * call throws the same error: the connection must be closed.
 */
export class QmpFramer {
  private readonly state: ScanState;
  /** The unfinished message's bytes from earlier chunks (slices, not copies). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failure: Error | undefined;

  public constructor(options: FramerOptions = {}) {
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!(maxMessageBytes > 0) || !(maxDepth > 0)) throw new RangeError('framer limits must be positive');
    this.state = { maxDepth, maxMessageBytes, depth: 0, inString: false, escaped: false, digitRun: 0, longNumber: false };
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
  public push(chunk: Buffer, onMessage: (message: QmpObject) => void): void {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return;
    // Decoded once per chunk, lazily: many small messages then cost one native call, not one each.
    let text: string | undefined;
    try {
      const tailStart = scanChunk(this.state, chunk, (start, end, longNumber) => {
        if (this.pendingBytes > 0) return this.emitJoined(chunk, end, longNumber, onMessage);
        if (end - start > this.state.maxMessageBytes) throw tooLarge(this.state.maxMessageBytes);
        text ??= isAscii(chunk) ? chunk.toString('latin1') : '';
        const message = text ? text.slice(start, end) : decodeQmpBytes(chunk.subarray(start, end));
        // The scanner only completes a message that opened with '{', so a parsed value is an object.
        onMessage(parseQmpMessageText(message, longNumber) as QmpObject);
      });
      if (tailStart < chunk.length) this.keep(chunk, tailStart);
    } catch (error) {
      this.failure =
        error instanceof QmpProtocolError
          ? error
          : new QmpProtocolError(`stream abandoned after a failure: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  }

  /**
   * Called at EOF: returns how many bytes of a half-received message are dropped (0 if none).
   */
  public end(): number {
    const dropped = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    Object.assign(this.state, { depth: 0, inString: false, escaped: false, digitRun: 0, longNumber: false });
    return dropped;
  }

  /** Holds the unfinished tail of a chunk, failing as soon as it passes the size limit. */
  private keep(chunk: Buffer, from: number): void {
    const bytes = chunk.length - from;
    if (this.pendingBytes + bytes > this.state.maxMessageBytes) throw tooLarge(this.state.maxMessageBytes);
    this.pending.push(from === 0 ? chunk : chunk.subarray(from));
    this.pendingBytes += bytes;
  }

  /** Completes a message that began in an earlier chunk and ends at `end` in this one. */
  private emitJoined(chunk: Buffer, end: number, longNumber: boolean, onMessage: (message: QmpObject) => void): void {
    this.pending.push(chunk.subarray(0, end));
    const bytes = Buffer.concat(this.pending, this.pendingBytes + end);
    this.pending = [];
    this.pendingBytes = 0;
    if (bytes.length > this.state.maxMessageBytes) throw tooLarge(this.state.maxMessageBytes);
    onMessage(parseQmpMessageText(decodeQmpBytes(bytes), longNumber) as QmpObject);
  }
}

function tooLarge(limit: number): QmpProtocolError {
  return new QmpProtocolError(`message exceeds the ${limit}-byte limit`);
}
