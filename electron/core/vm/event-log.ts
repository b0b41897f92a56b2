/**
 * The app's bounded log of QMP events and the app's own markers, from every VM.
 *
 * Each entry gets a global, increasing `seq` so a renderer that reloads (or subscribes late) can
 * ask for everything after the last seq it holds and merge without duplicates. The buffer is a
 * ring bounded twice, by count and by bytes (a flood of 4 KB events would reach gigabytes long
 * before a million entries): past either bound the oldest entries fall off, `since` reports only
 * what is still kept, and `dropped` says how many fell off. Entries loaded back from the journal keep their seq; new
 * ones continue after the highest, so the seq never goes back across restarts (it may have
 * gaps where a journal line was unreadable). The entries are kept in columns (event-columns.ts),
 * not as objects: a page or a push gets objects made for it.
 */
import type { TimelineEvent } from '../../common/models';
import { accountedBytes, accountedBytesOfData } from '../../common/event-bytes';
import { stringifyJsonLossless } from '../../common/json-text';
import { eventDataText } from '../qmp/event-line';
import type { QmpEvent } from '../qmp/types';
import { EventColumns } from './event-columns';
import type { AppMarker } from './app-marker';

/**
 * Default capacity: the issue's million events. In columns a typical flood entry costs 57 bytes
 * of typed arrays plus its data text's UTF-8 bytes in an arena outside V8's heap; a process
 * holding a million flood entries measured 135 MB of RSS this way, 204 MB with the data as
 * strings and more again as TimelineEvent objects.
 */
export const DEFAULT_EVENT_LOG_CAPACITY = 1_000_000;

/**
 * Default byte bound: room for the million typical entries (about 220 accounted bytes each)
 * while a flood of big events stops at this much instead of filling main's memory.
 */
export const DEFAULT_EVENT_LOG_MAX_BYTES = 256 * 1024 * 1024;

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
  private readonly columns: EventColumns;
  private nextSeq = 0;
  /** Positions (write order) of the oldest entry held and of the next one; equal while empty. */
  private firstPosition = 0;
  private nextPosition = 0;
  private heldBytes = 0;
  private droppedCount = 0;

  public constructor(capacity = DEFAULT_EVENT_LOG_CAPACITY, maxBytes = DEFAULT_EVENT_LOG_MAX_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log capacity must be a positive integer, got ${capacity}`);
    if (!(maxBytes > 0)) throw new Error(`event log byte bound must be positive, got ${maxBytes}`);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.columns = new EventColumns(capacity);
  }

  /** Seq of the newest event, or -1 while empty. */
  public get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Seq of the oldest event still kept (equals `lastSeq + 1` while empty). */
  public get firstSeq(): number {
    return this.size === 0 ? this.nextSeq : this.columns.seqAt(this.firstPosition);
  }

  /** Number of events currently kept. */
  public get size(): number {
    return this.nextPosition - this.firstPosition;
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
    const entry: TimelineEvent = {
      seq: this.nextSeq,
      vmId,
      event: event.event,
      timestamp: { seconds: Number(event.timestamp.seconds), microseconds: Number(event.timestamp.microseconds) },
      receivedAt,
    };
    // The text as QEMU sent it when the reader kept it (qmp/event-line.ts): spacing and all.
    if (event.data !== undefined) entry.dataJson = eventDataText(event) ?? stringifyJsonLossless(event.data);
    return this.store(entry);
  }

  /** Records one of the app's own markers, stamped with the app's clock at `at` (epoch ms). */
  public appendMarker(vmId: string, marker: AppMarker, at = Date.now()): TimelineEvent {
    return this.store({
      seq: this.nextSeq,
      vmId,
      event: marker.event,
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
    if (this.nextSeq !== 0 || this.size !== 0) throw new Error('restore() must come before the first append');
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
    for (let i = start; i < entries.length; i += 1) this.columns.write(this.nextPosition++, entries[i]!);
    this.nextSeq = last.seq + 1;
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
    const from = this.positionAfter(afterSeq);
    const events: TimelineEvent[] = [];
    let bytes = 0;
    const full = (): boolean => events.length >= count || (events.length > 0 && bytes >= maxBytes);
    const take = (position: number): void => {
      const size = accountedBytesOfData(this.columns.dataLengthAt(position));
      // An entry that would overflow the byte budget waits for the next page (unless it is the first).
      if (events.length > 0 && bytes + size > maxBytes) bytes = maxBytes;
      else {
        events.push(this.columns.entryAt(position));
        bytes += size;
      }
    };
    if (options.newest === true) {
      for (let position = this.nextPosition - 1; position >= from && !full(); position -= 1) take(position);
      events.reverse();
    } else {
      for (let position = from; position < this.nextPosition && !full(); position += 1) take(position);
    }
    return { events, lastSeq: this.lastSeq, dropped: this.droppedCount, held: this.size };
  }

  /** Position of the oldest held entry with a seq above `afterSeq` (`nextPosition` if none): seqs increase with position. */
  private positionAfter(afterSeq: number): number {
    let low = this.firstPosition;
    let high = this.nextPosition;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.columns.seqAt(middle) > afterSeq) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private store(entry: TimelineEvent): TimelineEvent {
    // Make room: one lap of the ring by seq (which also leaves the slot free), then the byte bound; oldest first either way.
    while (this.size > 0 && this.columns.seqAt(this.firstPosition) <= entry.seq - this.capacity) this.dropOldest();
    const size = accountedBytes(entry);
    while (this.size > 0 && this.heldBytes + size > this.maxBytes) this.dropOldest();
    this.columns.write(this.nextPosition++, entry);
    this.heldBytes += size;
    this.nextSeq = entry.seq + 1;
    return entry;
  }

  /** Forgets the oldest held entry. */
  private dropOldest(): void {
    this.heldBytes -= accountedBytesOfData(this.columns.dataLengthAt(this.firstPosition));
    this.columns.release(this.firstPosition);
    this.firstPosition += 1;
    this.droppedCount += 1;
  }
}

/** An epoch-ms instant in QMP's timestamp shape, for the app's own markers. */
export function appClockTimestamp(at: number): TimelineEvent['timestamp'] {
  const seconds = Math.floor(at / 1000);
  return { seconds, microseconds: Math.round((at - seconds * 1000) * 1000) };
}
