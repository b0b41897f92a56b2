/**
 * The app's bounded log of QMP events and the app's own markers, from every VM.
 *
 * Each entry gets a global, increasing `seq` so a renderer that reloads (or subscribes late) can
 * ask for everything after the last seq it holds and merge without duplicates. The buffer is a
 * ring bounded twice, by count and by bytes (a flood of 4 KB events would reach gigabytes long
 * before a million entries): past either bound the oldest entries fall off, `since` reports only
 * what is still kept, and `dropped` says how many fell off. Entries loaded back from the journal keep their seq; new
 * ones continue after the highest, so the seq never goes back across restarts (it may have
 * gaps where a journal line was unreadable).
 */
import type { TimelineEvent } from '../../common/models';
import { accountedBytes } from '../../common/event-bytes';
import { stringifyJsonLossless, type JsonObject } from '../../common/json-text';
import type { QmpEvent } from '../qmp/types';

/**
 * Default capacity: the million events. Measured at about 240 MB of heap per million
 * typical entries (see the timeline report); names are interned so the ring holds one copy each.
 */
export const DEFAULT_EVENT_LOG_CAPACITY = 1_000_000;

/**
 * Default byte bound: room for the million typical entries (about 220 accounted bytes each)
 * while a flood of big events stops at this much instead of filling main's memory.
 */
export const DEFAULT_EVENT_LOG_MAX_BYTES = 256 * 1024 * 1024;


/** Kinds of the app's own markers (see `TimelineEvent.marker`). */
export type MarkerKind = NonNullable<TimelineEvent['marker']>;

/** One of the app's own notes, before it gets a seq. */
export interface AppMarker {
  readonly marker: MarkerKind;
  /** Name for people: `connected`, `disconnected`, `reconnecting`, or the command's name. */
  readonly event: string;
  /** Details, stored as lossless JSON text in `dataJson`. */
  readonly data: JsonObject;
}

/** A page of events for catch-up. */
export interface EventPage {
  readonly events: readonly TimelineEvent[];
  /** Seq of the newest event ever logged (-1 when none), so the caller knows where it stands. */
  readonly lastSeq: number;
  /** Entries logged (this run or loaded from the journal) that are no longer held. */
  readonly dropped: number;
  /** How many entries the log holds right now (a history load's "of N"). */
  readonly held: number;
}

/** Bounds of one {@link EventLog.since} page. */
export interface PageOptions {
  /** The last `limit` instead of the first (see {@link EventLog.since}). */
  readonly newest?: boolean;
  /** Stop once the page's {@link accountedBytes} reach this (a page always holds at least one entry). */
  readonly maxBytes?: number;
}

/** Ring buffer of timeline events, addressed by seq. */
export class EventLog {
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly ring: (TimelineEvent | undefined)[];
  private nextSeq = 0;
  /** Seq of the oldest entry held, or `nextSeq` while empty (entries below it were dropped or never loaded). */
  private oldestSeq = 0;
  private held = 0;
  private heldBytes = 0;
  private droppedCount = 0;
  /** One string per VM id and event name, so a million entries do not hold a million copies. */
  private readonly names = new Map<string, string>();

  public constructor(capacity = DEFAULT_EVENT_LOG_CAPACITY, maxBytes = DEFAULT_EVENT_LOG_MAX_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log capacity must be a positive integer, got ${capacity}`);
    if (!(maxBytes > 0)) throw new Error(`event log byte bound must be positive, got ${maxBytes}`);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.ring = new Array<TimelineEvent | undefined>(capacity);
  }

  /** Seq of the newest event, or -1 while empty. */
  public get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Seq of the oldest event still kept (equals `lastSeq + 1` while empty). */
  public get firstSeq(): number {
    return this.held === 0 ? this.nextSeq : this.oldestSeq;
  }

  /** Number of events currently kept. */
  public get size(): number {
    return this.held;
  }

  /** Entries that fell off the ring because it was full (by count or by bytes). */
  public get dropped(): number {
    return this.droppedCount;
  }

  /** Sum of the held entries' {@link accountedBytes}; never above the byte bound (but for one entry alone). */
  public get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Records one QMP event as it arrived and returns the stored entry.
   *
   * The QEMU timestamp is kept as sent; `receivedAt` is our clock, because the two can disagree
   * (remote hosts, clock steps) and the UI shows both.
   */
  public append(vmId: string, event: QmpEvent, receivedAt = Date.now()): TimelineEvent {
    return this.store({
      seq: this.nextSeq,
      vmId: this.intern(vmId),
      event: this.intern(event.event),
      timestamp: { seconds: Number(event.timestamp.seconds), microseconds: Number(event.timestamp.microseconds) },
      receivedAt,
      ...(event.data !== undefined ? { dataJson: stringifyJsonLossless(event.data) } : {}),
    });
  }

  /** Records one of the app's own markers, stamped with the app's clock at `at` (epoch ms). */
  public appendMarker(vmId: string, marker: AppMarker, at = Date.now()): TimelineEvent {
    return this.store({
      seq: this.nextSeq,
      vmId: this.intern(vmId),
      event: this.intern(marker.event),
      timestamp: appClockTimestamp(at),
      receivedAt: at,
      dataJson: stringifyJsonLossless(marker.data),
      marker: marker.marker,
    });
  }

  /**
   * Puts entries loaded from the journal back, before anything new is appended.
   *
   * They must come oldest first with increasing seqs (the journal loader guarantees it); only
   * the newest `capacity` are kept. New entries continue after the highest seq. `alreadyDropped`
   * counts the older ones the loader left on disk, so `dropped` tells the whole story.
   */
  public restore(entries: readonly TimelineEvent[], alreadyDropped = 0): void {
    if (this.nextSeq !== 0 || this.held !== 0) throw new Error('restore() must come before the first append');
    const last = entries.at(-1);
    if (!last) {
      this.droppedCount += alreadyDropped;
      return;
    }
    // Keep the newest entries that fit both bounds; with seq gaps, also only seqs one lap of the ring wide.
    let start = entries.length;
    let bytes = 0;
    while (start > 0 && entries.length - start < this.capacity) {
      const entry = entries[start - 1]!;
      if (entry.seq <= last.seq - this.capacity || (start < entries.length && bytes + accountedBytes(entry) > this.maxBytes)) break;
      bytes += accountedBytes(entry);
      start -= 1;
    }
    this.droppedCount += alreadyDropped + start;
    for (let i = start; i < entries.length; i += 1) {
      const entry = entries[i]!;
      // The loader's objects are ours alone: share the names in place rather than copy a million objects.
      entry.vmId = this.intern(entry.vmId);
      entry.event = this.intern(entry.event);
      this.ring[entry.seq % this.capacity] = entry;
    }
    this.oldestSeq = entries[start]!.seq;
    this.nextSeq = last.seq + 1;
    this.held = entries.length - start;
    this.heldBytes = bytes;
  }

  /**
   * Events with seq greater than `afterSeq`, oldest first, at most `limit` of them.
   *
   * By default the page starts right after `afterSeq` (paging forward). With `newest` it is the
   * last `limit` of them instead: a renderer catching up after a reload wants the present, and
   * the oldest page of a full log would show an event from long ago as the newest one. Seqs
   * missing from a loaded journal are stepped over, so a page is only short at the end.
   */
  public since(afterSeq: number, limit = Number.POSITIVE_INFINITY, options: PageOptions = {}): EventPage {
    const count = Math.max(0, limit);
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const from = Math.max(this.firstSeq, Math.floor(afterSeq) + 1);
    const events: TimelineEvent[] = [];
    let bytes = 0;
    const full = (): boolean => events.length >= count || (events.length > 0 && bytes >= maxBytes);
    const take = (seq: number): void => {
      const entry = this.entryAt(seq);
      if (!entry) return;
      // An entry that would overflow the byte budget waits for the next page (unless it is the first).
      if (events.length > 0 && bytes + accountedBytes(entry) > maxBytes) bytes = maxBytes;
      else {
        events.push(entry);
        bytes += accountedBytes(entry);
      }
    };
    if (options.newest === true) {
      for (let seq = this.nextSeq - 1; seq >= from && !full(); seq -= 1) take(seq);
      events.reverse();
    } else {
      for (let seq = from; seq < this.nextSeq && !full(); seq += 1) take(seq);
    }
    return { events, lastSeq: this.lastSeq, dropped: this.droppedCount, held: this.held };
  }

  /** The entry with exactly this seq, if held (a slot can hold an older entry where the loaded journal had a gap). */
  private entryAt(seq: number): TimelineEvent | undefined {
    if (seq < this.oldestSeq || seq >= this.nextSeq) return undefined;
    const entry = this.ring[seq % this.capacity];
    return entry && entry.seq === seq ? entry : undefined;
  }

  private store(entry: TimelineEvent): TimelineEvent {
    if (this.held === 0) this.oldestSeq = entry.seq;
    // Make room: one lap of the ring by seq, then the byte bound; oldest first either way.
    while (this.held > 0 && this.oldestSeq <= entry.seq - this.capacity) this.dropOldest();
    const size = accountedBytes(entry);
    while (this.held > 0 && this.heldBytes + size > this.maxBytes) this.dropOldest();
    if (this.held === 0) this.oldestSeq = entry.seq;
    this.ring[entry.seq % this.capacity] = entry;
    this.held += 1;
    this.heldBytes += size;
    this.nextSeq = entry.seq + 1;
    return entry;
  }

  /** Forgets the oldest held entry (stepping over seqs a loaded journal never had). */
  private dropOldest(): void {
    const entry = this.entryAt(this.oldestSeq);
    if (entry) {
      this.ring[this.oldestSeq % this.capacity] = undefined;
      this.held -= 1;
      this.heldBytes -= accountedBytes(entry);
      this.droppedCount += 1;
    }
    this.oldestSeq += 1;
  }

  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    // Bounded: names are VM ids and event names; a hostile peer inventing names stops sharing.
    if (this.names.size < 100_000) this.names.set(name, name);
    return name;
  }
}

/** An epoch-ms instant in QMP's timestamp shape, for the app's own markers. */
export function appClockTimestamp(at: number): TimelineEvent['timestamp'] {
  const seconds = Math.floor(at / 1000);
  return { seconds, microseconds: Math.round((at - seconds * 1000) * 1000) };
}
