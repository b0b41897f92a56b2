/**
 * The event log's data texts, kept as UTF-8 bytes in a queue of 4 MB buffers outside V8's heap.
 *
 * As strings, a million event data texts were about 100 MB of V8's old generation: a million
 * objects every major GC walks, in a heap that during a flood grew to two and a half times what
 * it held (a 257 MB old space holding 170 MB, measured on the server after a 1,000,000-event
 * flood). Here a text costs its bytes and no object; a read makes a new string, which dies young.
 *
 * Texts are written one after another and freed oldest first (the log drops its oldest entry
 * first), so a buffer is given back once every text in it is freed: at most the oldest buffer
 * is partly dead. A text longer than a buffer gets a buffer of its own.
 */

/** Default size of one buffer; a text never spans two. */
export const ARENA_CHUNK_BYTES = 4 * 1024 * 1024;

/** Freed buffers kept for the next ones (a steady flood drops one as it fills one). */
const SPARE_LIMIT = 2;

/** Where one written text lives; `chunk` is a serial number, never reused. */
export interface ArenaPlace {
  readonly chunk: number;
  readonly offset: number;
  readonly bytes: number;
}

interface Chunk {
  readonly buffer: Buffer;
  used: number;
  /** Texts written into it and not freed yet. */
  live: number;
}

/** See the module comment. */
export class TextArena {
  private readonly chunks: Chunk[] = [];
  /** Serial number of `chunks[0]`. */
  private firstChunk = 0;
  private readonly spare: Buffer[] = [];

  /** `chunkBytes`: smaller for a log whose bound is only a few of them (a VM's share of the wire budget). */
  public constructor(private readonly chunkBytes = ARENA_CHUNK_BYTES) {}

  /** Bytes of the buffers held (what the arena costs the process). */
  public get heldBytes(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.buffer.length;
    return total;
  }

  /** Writes `text` as UTF-8 and says where it went. */
  public write(text: string): ArenaPlace {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; only a text that might not fit is measured.
    let last = this.chunks.at(-1);
    if (last === undefined || last.buffer.length - last.used < text.length * 3) {
      const bytes = Buffer.byteLength(text);
      if (last === undefined || last.buffer.length - last.used < bytes) last = this.newChunk(bytes);
    }
    const offset = last.used;
    const bytes = last.buffer.write(text, offset);
    last.used += bytes;
    last.live += 1;
    return { chunk: this.firstChunk + this.chunks.length - 1, offset, bytes };
  }

  /**
   * The text written at `place`, as a new string; `ascii` (its UTF-16 length equals its byte
   * count, as for all QMP output) takes the faster one-byte decoding.
   */
  public read(chunk: number, offset: number, bytes: number, ascii: boolean): string {
    return this.chunkAt(chunk).buffer.toString(ascii ? 'latin1' : 'utf8', offset, offset + bytes);
  }

  /** Frees the text written at `place` (its chunk number); buffers left with none go back. */
  public free(chunk: number): void {
    this.chunkAt(chunk).live -= 1;
    // The buffer being written stays, so a steady trickle does not reallocate it.
    while (this.chunks.length > 1 && this.chunks[0]!.live === 0) {
      const { buffer } = this.chunks.shift()!;
      this.firstChunk += 1;
      if (buffer.length === this.chunkBytes && this.spare.length < SPARE_LIMIT) this.spare.push(buffer);
    }
  }

  private chunkAt(chunk: number): Chunk {
    const found = this.chunks[chunk - this.firstChunk];
    if (found === undefined) throw new Error(`text arena: chunk ${chunk} is not held`);
    return found;
  }

  private newChunk(bytes: number): Chunk {
    const buffer = bytes > this.chunkBytes ? Buffer.allocUnsafeSlow(bytes) : (this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes));
    const chunk: Chunk = { buffer, used: 0, live: 0 };
    this.chunks.push(chunk);
    return chunk;
  }
}
