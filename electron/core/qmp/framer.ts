/**
 * Splits QMP's byte stream into messages by JSON structure.
 *
 * QEMU's `pretty=on` spreads one message over many CRLF lines and recv() cuts chunks anywhere,
 * so newlines mean nothing: we track string/escape state and bracket depth, and hand each
 * complete top-level value to `parseQmpJson`. Limits keep a hostile peer from growing our buffer
 * without bound or nesting deeper than any consumer can walk.
 *
 * FIRST VERSION (to be optimised by the framer work): a plain byte scanner.
 */
import { QmpProtocolError } from './errors';
import { parseQmpJson } from './lossless-json';
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
  private readonly maxMessageBytes: number;
  private readonly maxDepth: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private failure: QmpProtocolError | undefined;

  public constructor(options: FramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** Bytes of an unfinished message held so far (0 between messages). */
  public get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Feeds one chunk; calls `onMessage` for each complete message, in order.
   *
   * @throws QmpProtocolError on malformed JSON, a non-object message, invalid UTF-8,
   *   nesting beyond `maxDepth` or a message beyond `maxMessageBytes`.
   */
  public push(chunk: Buffer, onMessage: (message: QmpObject) => void): void {
    if (this.failure) throw this.failure;
    try {
      this.scan(chunk, onMessage);
    } catch (error) {
      this.failure =
        error instanceof QmpProtocolError
          ? error
          : new QmpProtocolError(`malformed message: ${(error as Error).message}`, { cause: error });
      throw this.failure;
    }
  }

  /**
   * Called at EOF: returns how many bytes of a half-received message are dropped (0 if none).
   */
  public end(): number {
    const dropped = this.pendingBytes;
    this.reset();
    return dropped;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private scan(chunk: Buffer, onMessage: (message: QmpObject) => void): void {
    let start = 0;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const b = chunk[i]!;
      if (this.depth === 0 && !this.inString) {
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
          i++;
          start = i;
          continue;
        }
        if (b !== 0x7b && b !== 0x5b) {
          throw new QmpProtocolError(`unexpected byte 0x${b.toString(16)} between messages (a QMP message must be a JSON object)`);
        }
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === 0x5c) this.escaped = true;
        else if (b === 0x22) this.inString = false;
      } else if (b === 0x22) {
        this.inString = true;
      } else if (b === 0x7b || b === 0x5b) {
        if (++this.depth > this.maxDepth) {
          throw new QmpProtocolError(`message nested deeper than ${this.maxDepth} levels`);
        }
      } else if (b === 0x7d || b === 0x5d) {
        if (--this.depth === 0) {
          this.emit(chunk.subarray(start, i + 1), onMessage);
          start = i + 1;
        }
      }
      i++;
    }
    if (start < n) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += n - start;
      if (this.pendingBytes > this.maxMessageBytes) {
        throw new QmpProtocolError(`message exceeds the ${this.maxMessageBytes}-byte limit`);
      }
    }
  }

  private emit(tail: Buffer, onMessage: (message: QmpObject) => void): void {
    let bytes = tail;
    if (this.pending.length > 0) {
      this.pending.push(tail);
      bytes = Buffer.concat(this.pending, this.pendingBytes + tail.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (bytes.length > this.maxMessageBytes) {
      throw new QmpProtocolError(`message exceeds the ${this.maxMessageBytes}-byte limit`);
    }
    const value = parseQmpJson(bytes);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new QmpProtocolError('a QMP message must be a JSON object');
    }
    onMessage(value);
  }
}
