/**
 * UTF-8 text built in pooled chunks of 4 MB, for the big texts main writes during a flood: the
 * journal's lines of one window and the web bridge's event pages (whose binary start goes in as
 * bytes, {@link ChunkedText.addBytes}).
 *
 * Built as strings, each was one large string (V8's large-object space, freed only by a major
 * GC); built in a buffer that doubles as it fills, each left the smaller buffers behind, and the
 * buffers, held across a write, reached the old generation too. During a flood either made
 * hundreds of MB of main's memory garbage waiting for a major GC. Chunks of one size can be
 * reused: once a text is written, {@link ChunkedText.release} puts its chunks back in the pool,
 * so a steady flood reuses the same few chunks. Small texts are gathered and copied 16 K
 * characters at a time: one `Buffer.write` per entry cost more than the entry's JSON.
 */

/** Size of one chunk: a journal window or a page of events fits a few of them. */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** Chunks kept for reuse (16 MB); more are left to the GC. */
const POOL_LIMIT = 4;

/** Characters of small texts gathered before one copy into a chunk (a young-generation string). */
const GATHER_CHARS = 16 * 1024;

const pool: Buffer[] = [];

/** A text being built, then written (as {@link ChunkedText.slices}), then released. */
export class ChunkedText {
  private readonly chunks: Buffer[] = [];
  /** Bytes used in each chunk. */
  private readonly used: number[] = [];
  private total = 0;
  private gathered: string[] = [];
  private gatheredChars = 0;

  /** Bytes written so far. */
  public get length(): number {
    this.copyGathered();
    return this.total;
  }

  /**
   * Appends `text` as UTF-8. Texts are joined before they are copied, so each must be whole
   * (no lone surrogate at either end, as in any JSON.stringify output).
   */
  public add(text: string): void {
    this.gathered.push(text);
    this.gatheredChars += text.length;
    if (this.gatheredChars >= GATHER_CHARS) this.copyGathered();
  }

  /** Appends `bytes` as they are (a binary part of a message); copied at once, so the view may be reused after. */
  public addBytes(bytes: Uint8Array): void {
    this.copyGathered();
    const index = this.chunkWithRoom(bytes.byteLength);
    this.chunks[index]!.set(bytes, this.used[index]);
    this.used[index]! += bytes.byteLength;
    this.total += bytes.byteLength;
  }

  private copyGathered(): void {
    if (this.gathered.length === 0) return;
    const text = this.gathered.length === 1 ? this.gathered[0]! : this.gathered.join('');
    this.gathered = [];
    this.gatheredChars = 0;
    this.copy(text);
  }

  /** Copies `text` into the last chunk, or a new one (a text never spans chunks; one longer than a chunk gets a buffer of its own). */
  private copy(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; a long text is measured instead.
    const room = text.length <= 64 * 1024 ? text.length * 3 : Buffer.byteLength(text);
    const index = this.chunkWithRoom(room);
    const size = this.chunks[index]!.write(text, this.used[index]!);
    this.used[index]! += size;
    this.total += size;
  }

  /** The index of the last chunk if `room` bytes fit in it, else of a new one (its own buffer when `room` is more than a chunk). */
  private chunkWithRoom(room: number): number {
    const last = this.chunks.length - 1;
    if (last >= 0 && this.chunks[last]!.length - this.used[last]! >= room) return last;
    this.chunks.push(room > CHUNK_BYTES ? Buffer.allocUnsafeSlow(room) : (pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES)));
    this.used.push(0);
    return last + 1;
  }

  /** The bytes from `start` to `end` (offsets in the whole text), as views into the chunks: no copy. */
  public slices(start = 0, end = Number.POSITIVE_INFINITY): Buffer[] {
    this.copyGathered();
    const views: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < this.chunks.length && offset < end; i += 1) {
      const used = this.used[i]!;
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + used);
      if (from < to) views.push(this.chunks[i]!.subarray(from - offset, to - offset));
      offset += used;
    }
    return views;
  }

  /** Gives the chunks back to the pool; nothing from {@link slices} may be used after this. */
  public release(): void {
    for (const chunk of this.chunks) if (chunk.length === CHUNK_BYTES && pool.length < POOL_LIMIT) pool.push(chunk);
    this.chunks.length = 0;
    this.used.length = 0;
    this.total = 0;
    this.gathered = [];
    this.gatheredChars = 0;
  }
}
