/**
 * The renderer's event store: a bounded, append-only, seq-ordered buffer in fixed-size chunks.
 *
 * It has to hold a million events while a flood pushes thousands more every 50 ms. Copying one
 * array per push (what the renderer did first) costs O(held) per push and stalls the page long
 * before a million; here a push appends to the last chunk and, past the capacity, drops whole
 * oldest chunks or moves a start offset, so a push costs O(batch). Readers see immutable
 * {@link EventWindow} snapshots: a small object per change, whose identity tells React that
 * something changed, reading through to the shared chunks by absolute position.
 *
 * The store only appends events with a seq above the last one held (pushes and catch-ups can
 * overlap), so the buffer stays ordered by seq and duplicates never enter it.
 */
import { accountedBytes } from '../../../electron/common/event-bytes';
import type { TimelineEvent } from '../../../electron/common/models';

/** How many events the renderer keeps; older ones fall off the front (the count is kept). */
export const DEFAULT_EVENT_CAPACITY = 1_000_000;

/**
 * How many bytes of events the renderer keeps (the core's accounting, electron/common/event-bytes.ts),
 * like the core's log: a million 4 KB events would be 4 GB, so big events fall off by bytes first.
 */
export const DEFAULT_EVENT_MAX_BYTES = 256 * 1024 * 1024;

/** Events per chunk: big enough that the chunk list stays short, small enough to free memory in steps. */
const CHUNK_SIZE = 4096;

/** Newest events kept per VM for the status panel, so it never scans a million events per push. */
export const RECENT_PER_VM = 32;

/**
 * What one state of the buffer shows: events `[0, length)`, oldest first.
 *
 * A window stays readable after later pushes (it keeps its own start and length); only events
 * dropped since then read as undefined.
 */
export interface EventWindow {
  /** Events shown by this window. */
  readonly length: number;
  /** Events dropped off the front since start-up (oldest first, to respect the capacity). */
  readonly dropped: number;
  /** Grows by one per change; memo key for derived views. */
  readonly version: number;
  /** Absolute position (since start-up) of the window's first event; positions never move. */
  readonly start: number;
  /** The event at index `i` of this window, oldest first. */
  at(index: number): TimelineEvent | undefined;
  /** The event at an absolute position, if still held. */
  atPosition(position: number): TimelineEvent | undefined;
  /** The newest event, if any. */
  last(): TimelineEvent | undefined;
  /** Up to {@link RECENT_PER_VM} newest QEMU events of one VM (no app markers), newest first (kept per VM on append). */
  recent(vmId: string): readonly TimelineEvent[];
  /** Every event of the window as a new array (tests and small views; O(length)). */
  toArray(): TimelineEvent[];
}

/** A window with nothing in it (the state before the first event). */
export const EMPTY_EVENTS: EventWindow = {
  length: 0,
  dropped: 0,
  version: 0,
  start: 0,
  at: () => undefined,
  atPosition: () => undefined,
  last: () => undefined,
  recent: () => [],
  toArray: () => [],
};

/** The mutable store behind every {@link EventWindow}; owned by the monitor store. */
export class EventBuffer {
  private chunks: TimelineEvent[][] = [];
  /** Absolute position of `chunks[0][0]`. */
  private chunkBase = 0;
  /** Absolute position of the oldest event held (≥ chunkBase). */
  private first = 0;
  /** Absolute position one past the newest event. */
  private end = 0;
  private version = 0;
  private dropped = 0;
  /** Sum of {@link accountedBytes} of the events held. */
  private bytes = 0;
  /** Per VM, oldest first, at most twice {@link RECENT_PER_VM} (trimmed in halves so appends stay O(1)). */
  private recentByVm = new Map<string, TimelineEvent[]>();
  private current: EventWindow = EMPTY_EVENTS;

  constructor(
    private readonly capacity = DEFAULT_EVENT_CAPACITY,
    private readonly maxBytes = DEFAULT_EVENT_MAX_BYTES,
  ) {}

  /** The newest window; the same object until the next change. */
  get window(): EventWindow {
    return this.current;
  }

  /** The seq of the newest event held, or -1. */
  get lastSeq(): number {
    return this.current.last()?.seq ?? -1;
  }

  /**
   * Appends `events` whose seq is above the newest held, in seq order; returns those taken.
   *
   * Anything at or below the newest seq is a repeat (a push also read in a catch-up) and is
   * skipped; a batch out of order is sorted first (O(batch log batch), never O(held)).
   */
  append(events: readonly TimelineEvent[]): TimelineEvent[] {
    let after = this.lastSeq;
    const fresh: TimelineEvent[] = [];
    let sorted = true;
    for (const event of events) {
      if (event.seq <= after) continue;
      if (fresh.length > 0 && event.seq <= fresh[fresh.length - 1]!.seq) sorted = false;
      fresh.push(event);
    }
    if (fresh.length === 0) return fresh;
    if (!sorted) {
      fresh.sort((a, b) => a.seq - b.seq);
      const unique: TimelineEvent[] = [];
      for (const event of fresh) {
        if (event.seq <= after) continue;
        unique.push(event);
        after = event.seq;
      }
      fresh.splice(0, fresh.length, ...unique);
    }
    for (const event of fresh) this.push(event);
    this.trim();
    this.publish();
    return fresh;
  }

  /** Forgets everything (the core restarted and counts from 0 again); the dropped count is kept. */
  clear(): void {
    this.first = this.end;
    this.bytes = 0;
    this.recentByVm = new Map();
    this.chunks = [];
    this.chunkBase = this.end;
    this.publish();
  }

  private push(event: TimelineEvent): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length === CHUNK_SIZE) {
      chunk = [];
      this.chunks.push(chunk);
    }
    chunk.push(event);
    this.end++;
    this.bytes += accountedBytes(event);
    if (event.marker !== undefined) return; // the app's own notes belong to the timeline, not to "Recent events"
    let recent = this.recentByVm.get(event.vmId);
    if (!recent) this.recentByVm.set(event.vmId, (recent = []));
    recent.push(event);
    if (recent.length >= 2 * RECENT_PER_VM) recent.splice(0, RECENT_PER_VM);
  }

  private trim(): void {
    // Oldest first, by count and then by bytes (but never the newest event); O(dropped).
    while (this.end - this.first > this.capacity || (this.bytes > this.maxBytes && this.end - this.first > 1)) {
      this.bytes -= accountedBytes(this.read(this.first)!);
      this.first++;
      this.dropped++;
    }
    while (this.chunks.length > 0 && this.chunkBase + this.chunks[0]!.length <= this.first) {
      this.chunkBase += this.chunks.shift()!.length;
    }
  }

  private read(position: number): TimelineEvent | undefined {
    if (position < this.first || position >= this.end) return undefined;
    const offset = position - this.chunkBase;
    // Every chunk but the last is full, so the chunk index is a division.
    return this.chunks[Math.floor(offset / CHUNK_SIZE)]?.[offset % CHUNK_SIZE];
  }

  private publish(): void {
    const start = this.first;
    const length = this.end - this.first;
    const read = (position: number) => this.read(position);
    const recentByVm = this.recentByVm;
    const recent = new Map<string, readonly TimelineEvent[]>();
    const newestSeq = length > 0 ? (read(start + length - 1)?.seq ?? -1) : -1;
    this.current = {
      length,
      dropped: this.dropped,
      version: ++this.version,
      start,
      at: (index) => (index >= 0 && index < length ? read(start + index) : undefined),
      atPosition: (position) => (position >= start && position < start + length ? read(position) : undefined),
      last: () => (length > 0 ? read(start + length - 1) : undefined),
      recent: (vmId) => {
        let found = recent.get(vmId);
        if (!found) {
          const held = recentByVm.get(vmId) ?? [];
          // Copied at first read, so this window keeps showing what it held when it was made.
          found = held.filter((event) => event.seq <= newestSeq).slice(-RECENT_PER_VM).reverse();
          recent.set(vmId, found);
        }
        return found;
      },
      toArray: () => Array.from({ length }, (_, index) => read(start + index)).filter((event) => event !== undefined),
    };
  }
}

/** The newest `limit` (≤ {@link RECENT_PER_VM}) QEMU events of one VM, newest first (for the status panel's short list; markers are left to the timeline). */
export function recentEventsFor(events: EventWindow, vmId: string, limit: number): readonly TimelineEvent[] {
  return events.recent(vmId).slice(0, limit);
}
