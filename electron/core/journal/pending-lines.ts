/**
 * The journal's lines waiting for the disk, kept as UTF-8 bytes in pooled chunks (chunked-text.ts).
 *
 * Kept as strings, a window's 5,000 lines lived long enough to be copied into the old generation
 * and were then joined into one big string per write, which only a major GC frees: during a flood
 * main's heap grew by hundreds of MB of such garbage. Copied into a chunk as it is queued, a
 * line's string dies young, and the write takes the bytes as they are. Lines are JSON text, so
 * the sizes counted here are the bytes the chunks get.
 */
import { ChunkedText } from '../chunked-text';

/** One batch taken for writing: the bytes and where each line ends in them. */
export interface LineBatch {
  readonly text: ChunkedText;
  readonly ends: readonly number[];
}

/** Lines queued since the last {@link PendingLines.take}. */
export class PendingLines {
  private text = new ChunkedText();
  private ends: number[] = [];
  private queuedBytes = 0;

  /** Bytes queued. */
  public get bytes(): number {
    return this.queuedBytes;
  }

  /** Lines queued. */
  public get count(): number {
    return this.ends.length;
  }

  /** Queues `text` as one line (adding its newline) unless that would pass `limit` bytes queued; returns whether it was. */
  public push(text: string, limit: number): boolean {
    const size = Buffer.byteLength(text) + 1;
    if (this.queuedBytes + size > limit) return false;
    this.text.add(text);
    this.text.add('\n');
    this.queuedBytes += size;
    this.ends.push(this.queuedBytes);
    return true;
  }

  /** Everything queued, leaving the queue empty; release the batch's text once it is written. */
  public take(): LineBatch {
    const batch = { text: this.text, ends: this.ends };
    this.text = new ChunkedText();
    this.ends = [];
    this.queuedBytes = 0;
    return batch;
  }

  /** Forgets everything queued. */
  public clear(): void {
    this.take().text.release();
  }
}
