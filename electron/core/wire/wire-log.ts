/**
 * A VM's raw QMP traffic, both directions, as the wire inspector shows it: bounded in bytes,
 * oldest dropped first, with the count of what was dropped.
 *
 * Each entry keeps its exact text (see WireSplitter) so that a saved recording is the real
 * traffic. The bound is on the bytes of text held, not on the number of entries, since one
 * `query-qmp-schema` reply weighs as much as thousands of `query-status` round trips; an entry
 * bigger than the whole bound is kept cut to it (its full size still counted), so the newest
 * reply is never the one that is missing.
 */
import type { WireDirection } from '../../common/wire-recording';
import type { BudgetedLog, WireBudget } from './wire-budget';

/** Default bound of one VM's log: the bytes (UTF-8) of the text held. */
export const DEFAULT_WIRE_LOG_BYTES = 16 * 1024 * 1024;
/** Default bound of one entry's text in a page (display); the full length is given beside it. */
export const DEFAULT_PAGE_TEXT_CHARS = 16 * 1024;
/** Most entries one page returns. */
export const MAX_PAGE_ENTRIES = 2000;

/** One entry as held. */
interface HeldEntry {
  readonly seq: number;
  readonly dir: WireDirection;
  readonly at: number;
  /** Bytes on the wire (UTF-8). */
  readonly bytes: number;
  /** The text (cut to the log's bound when it alone was bigger). */
  readonly text: string;
  /** Bytes of `text` as held (what counts against the bound). */
  readonly heldBytes: number;
  /** Length of the whole text, in UTF-16 code units. */
  readonly length: number;
}

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

/** The bounded log of one VM; with a {@link WireBudget}, also bounded with every other VM's. */
export class WireLog implements BudgetedLog {
  private entries: HeldEntry[] = [];
  private head = 0;
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
    return this.entries.length - this.head > 1;
  }

  /** Drops the oldest entry, never the newest; returns the bytes freed (for the budget's sum). */
  public dropOldest(): number {
    if (!this.canDrop) return 0;
    const freed = this.entries[this.head]!.heldBytes;
    this.held -= freed;
    this.head++;
    this.droppedCount++;
    this.compact();
    return freed;
  }

  /** Adds one text as it crossed the socket (the client's wire tap). */
  public add(dir: WireDirection, text: string, at: number): void {
    const bytes = Buffer.byteLength(text);
    // Decoded from a copy of the bytes kept: a string slice would keep the whole text alive.
    const kept = bytes > this.maxBytes ? Buffer.from(text).subarray(0, this.maxBytes).toString('utf8') : text;
    const heldBytes = kept === text ? bytes : Buffer.byteLength(kept);
    this.entries.push({ seq: this.nextSeq++, dir, at, bytes, text: kept, heldBytes, length: text.length });
    this.held += heldBytes;
    let freed = 0;
    while (this.held > this.maxBytes && this.canDrop) freed += this.dropOldest();
    this.budget?.changed(heldBytes - freed);
  }

  /** Compacts now and then, so the array does not keep dropped entries alive. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Entries dropped so far. */
  public get dropped(): number {
    return this.droppedCount;
  }

  /** Entries after `afterSeq` (exclusive), oldest first, each text cut to `maxTextChars`. */
  public since(afterSeq: number, maxTextChars = DEFAULT_PAGE_TEXT_CHARS, limit = MAX_PAGE_ENTRIES): WirePage {
    const first = this.indexAfter(afterSeq);
    const end = Math.min(this.entries.length, first + Math.max(1, limit));
    const entries: WireEntryView[] = [];
    for (let i = first; i < end; i++) {
      const e = this.entries[i]!;
      const text = e.text.length > maxTextChars ? e.text.slice(0, maxTextChars) : e.text;
      entries.push({ seq: e.seq, dir: e.dir, at: e.at, bytes: e.bytes, text, textLength: e.length, truncated: text.length < e.length });
    }
    const lastSeq = entries.length > 0 ? entries[entries.length - 1]!.seq : Math.max(afterSeq, this.nextSeq - 1);
    return { entries, lastSeq, dropped: this.droppedCount, more: end < this.entries.length };
  }

  /** Index of the first held entry with seq > afterSeq (seqs are consecutive). */
  private indexAfter(afterSeq: number): number {
    if (this.entries.length === this.head) return this.entries.length;
    const firstSeq = this.entries[this.head]!.seq;
    return this.head + Math.min(Math.max(0, afterSeq + 1 - firstSeq), this.entries.length - this.head);
  }
}
