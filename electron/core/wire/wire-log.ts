/**
 * A VM's raw QMP traffic, both directions, as the wire inspector shows it: bounded in bytes,
 * oldest dropped first, with the count of what was dropped.
 *
 * Each entry keeps its exact text (see WireSplitter) so that a saved recording is the real
 * traffic. The bound is on the bytes of text held, not on the number of entries, since one
 * `query-qmp-schema` reply weighs as much as thousands of `query-status` round trips; an entry
 * bigger than the whole bound is kept cut to it (its full size still counted), so the newest
 * reply is never the one that is missing.
 *
 * The texts are held as bytes in a text arena (core/text-arena.ts) and the numbers in a ring
 * of typed columns, not as an object and a string per entry: in the timeline flood the wire logs
 * held 340,000 entries, and as objects, sliced strings and the chunks those kept alive they cost
 * about 100 MB of main's heap for 32 MB of text.
 */
import type { WireDirection } from '../../common/wire-recording';
import { TextArena } from '../text-arena';
import type { BudgetedLog, WireBudget } from './wire-budget';

/** Default bound of one VM's log: the bytes (UTF-8) of the text held. */
export const DEFAULT_WIRE_LOG_BYTES = 16 * 1024 * 1024;
/** Default bound of one entry's text in a page (display); the full length is given beside it. */
export const DEFAULT_PAGE_TEXT_CHARS = 16 * 1024;
/** Most entries one page returns. */
export const MAX_PAGE_ENTRIES = 2000;

/** One entry of a page. */
export interface WireEntryView {
  readonly seq: number;
  readonly dir: WireDirection;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly bytes: number;
  /** The text, cut to the page's `maxTextChars`. */
  readonly text: string;
  /** Length of the whole text as it crossed the socket (UTF-16 code units). */
  readonly textLength: number;
  /** True when `text` is shorter than the text that crossed the socket. */
  readonly truncated: boolean;
}

/** A page of the log after a sequence number. */
export interface WirePage {
  readonly entries: readonly WireEntryView[];
  /** The newest seq held (or given so far), so the next page asks after it. */
  readonly lastSeq: number;
  /** Entries dropped so far to stay within the bound. */
  readonly dropped: number;
  /** More entries follow the page (it hit its entry limit). */
  readonly more: boolean;
}

/** Arena buffers of a wire log: a VM's share of the wire budget spans several of them. */
const WIRE_ARENA_CHUNK_BYTES = 256 * 1024;

/** First length of the number columns (a power of two; they double when full). */
const FIRST_COLUMN_LENGTH = 256;

/** The bounded log of one VM; with a {@link WireBudget}, also bounded with every other VM's. */
export class WireLog implements BudgetedLog {
  private readonly texts = new TextArena(WIRE_ARENA_CHUNK_BYTES);
  /**
   * One ring of typed columns, entry `k` (0 = oldest held) at slot `(head + k) & (capacity - 1)`;
   * seq is `firstSeq + k`. Direction: 0 in, 1 out.
   */
  private capacity = FIRST_COLUMN_LENGTH;
  private directions = new Uint8Array(FIRST_COLUMN_LENGTH);
  private ats = new Float64Array(FIRST_COLUMN_LENGTH);
  /** Bytes on the wire (UTF-8), as a double: a reply may be bigger than an Int32 holds. */
  private wireBytes = new Float64Array(FIRST_COLUMN_LENGTH);
  /** Length of the whole text, in UTF-16 code units. */
  private lengths = new Float64Array(FIRST_COLUMN_LENGTH);
  /** Where the text (cut to the log's bound when it alone was bigger) is in the arena, and its bytes there. */
  private chunks = new Int32Array(FIRST_COLUMN_LENGTH);
  private offsets = new Int32Array(FIRST_COLUMN_LENGTH);
  private keptBytes = new Int32Array(FIRST_COLUMN_LENGTH);
  /** Length of the kept text in UTF-16 code units (equal to its bytes: ASCII). */
  private keptLengths = new Int32Array(FIRST_COLUMN_LENGTH);
  private head = 0;
  private count = 0;
  private firstSeq = 1;
  private held = 0;
  private nextSeq = 1;
  private droppedCount = 0;

  public constructor(
    private readonly maxBytes = DEFAULT_WIRE_LOG_BYTES,
    private readonly budget?: WireBudget,
  ) {
    budget?.join(this);
  }

  /** Bytes of text held now (what counts against the bounds). */
  public get heldBytes(): number {
    return this.held;
  }

  /** Stops counting against the shared budget (the VM is gone). */
  public release(): void {
    this.budget?.leave(this);
  }

  /** True while it holds more than its newest entry. */
  public get canDrop(): boolean {
    return this.count > 1;
  }

  /** Drops the oldest entry, never the newest; returns the bytes freed (for the budget's sum). */
  public dropOldest(): number {
    if (!this.canDrop) return 0;
    const slot = this.head;
    const freed = this.keptBytes[slot]!;
    this.texts.free(this.chunks[slot]!);
    this.held -= freed;
    this.head = (slot + 1) & (this.capacity - 1);
    this.count--;
    this.firstSeq++;
    this.droppedCount++;
    return freed;
  }

  /** Adds one text as it crossed the socket (the client's wire tap). */
  public add(dir: WireDirection, text: string, at: number): void {
    const bytes = Buffer.byteLength(text);
    const kept = bytes > this.maxBytes ? Buffer.from(text).subarray(0, this.maxBytes).toString('utf8') : text;
    const place = this.texts.write(kept);
    if (this.count === this.capacity) this.grow();
    if (this.count === 0) this.firstSeq = this.nextSeq;
    this.nextSeq++;
    const slot = (this.head + this.count) & (this.capacity - 1);
    this.count++;
    this.directions[slot] = dir === 'in' ? 0 : 1;
    this.ats[slot] = at;
    this.wireBytes[slot] = bytes;
    this.lengths[slot] = text.length;
    this.chunks[slot] = place.chunk;
    this.offsets[slot] = place.offset;
    this.keptBytes[slot] = place.bytes;
    this.keptLengths[slot] = kept.length;
    this.held += place.bytes;
    let freed = 0;
    while (this.held > this.maxBytes && this.canDrop) freed += this.dropOldest();
    this.budget?.changed(place.bytes - freed);
  }

  /** Doubles the columns, the oldest entry moving to slot 0. */
  private grow(): void {
    const length = this.capacity * 2;
    const moved = <T extends Uint8Array | Int32Array | Float64Array>(column: T, make: (n: number) => T): T => {
      const next = make(length);
      next.set(column.subarray(this.head));
      next.set(column.subarray(0, this.head), this.capacity - this.head);
      return next;
    };
    this.directions = moved(this.directions, (n) => new Uint8Array(n));
    this.ats = moved(this.ats, (n) => new Float64Array(n));
    this.wireBytes = moved(this.wireBytes, (n) => new Float64Array(n));
    this.lengths = moved(this.lengths, (n) => new Float64Array(n));
    this.chunks = moved(this.chunks, (n) => new Int32Array(n));
    this.offsets = moved(this.offsets, (n) => new Int32Array(n));
    this.keptBytes = moved(this.keptBytes, (n) => new Int32Array(n));
    this.keptLengths = moved(this.keptLengths, (n) => new Int32Array(n));
    this.head = 0;
    this.capacity = length;
  }

  /** Entries dropped so far. */
  public get dropped(): number {
    return this.droppedCount;
  }

  /** Entries after `afterSeq` (exclusive), oldest first, each text cut to `maxTextChars`. */
  public since(afterSeq: number, maxTextChars = DEFAULT_PAGE_TEXT_CHARS, limit = MAX_PAGE_ENTRIES): WirePage {
    const first = Math.min(Math.max(0, afterSeq + 1 - this.firstSeq), this.count);
    const end = Math.min(this.count, first + Math.max(1, limit));
    const entries: WireEntryView[] = [];
    for (let k = first; k < end; k++) {
      const slot = (this.head + k) & (this.capacity - 1);
      const keptBytes = this.keptBytes[slot]!;
      const ascii = keptBytes === this.keptLengths[slot];
      // An ASCII text is cut before it is decoded (a 50 MB reply is shown 16 K characters of).
      const whole = this.texts.read(this.chunks[slot]!, this.offsets[slot]!, ascii ? Math.min(keptBytes, maxTextChars) : keptBytes, ascii);
      const text = whole.length > maxTextChars ? whole.slice(0, maxTextChars) : whole;
      const length = this.lengths[slot]!;
      entries.push({ seq: this.firstSeq + k, dir: this.directions[slot] === 0 ? 'in' : 'out', at: this.ats[slot]!, bytes: this.wireBytes[slot]!, text, textLength: length, truncated: text.length < length });
    }
    const lastSeq = entries.length > 0 ? entries[entries.length - 1]!.seq : Math.max(afterSeq, this.nextSeq - 1);
    return { entries, lastSeq, dropped: this.droppedCount, more: end < this.count };
  }
}
