/**
 * The app's bounded log of QMP events and the app's own markers, from every VM.
 *
 * Each entry gets a global, increasing `seq` so a renderer that reloads (or subscribes late) can
 * ask for everything after the last seq it holds and merge without duplicates. The buffer is a
 * ring: when full the oldest entries fall off, `since` reports only what is still kept, and
 * `dropped` says how many fell off. Entries loaded back from the journal keep their seq; new
 * ones continue after the highest, so the seq never goes back across restarts (it may have
 * gaps where a journal line was unreadable).
 */
import type { TimelineEvent } from '../../common/models';
import { stringifyJsonLossless, type JsonObject } from '../../common/json-text';
import type { QmpEvent } from '../qmp/types';

/**
 * Default capacity: the million events. Measured at about 240 MB of heap per million
 * typical entries (see the timeline report); names are interned so the ring holds one copy each.
 */
export const DEFAULT_EVENT_LOG_CAPACITY = 1_000_000;

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
}

/** Ring buffer of timeline events, addressed by seq. */
export class EventLog {
  private readonly capacity: number;
  private readonly ring: (TimelineEvent | undefined)[];
  private nextSeq = 0;
  /** Seq of the oldest entry held (entries below it were dropped or never loaded). */
  private oldestSeq = 0;
  private held = 0;
  private droppedCount = 0;
  /** One string per VM id and event name, so a million entries do not hold a million copies. */
  private readonly names = new Map<string, string>();

  public constructor(capacity = DEFAULT_EVENT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.ring = new Array<TimelineEvent | undefined>(capacity);
  }

  /** Seq of the newest event, or -1 while empty. */
  public get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Seq of the oldest event still kept (equals `lastSeq + 1` while empty). */
  public get firstSeq(): number {
    return this.held === 0 ? this.nextSeq : Math.max(this.oldestSeq, this.nextSeq - this.capacity);
  }

  /** Number of events currently kept. */
  public get size(): number {
    return this.held;
  }

  /** Entries that fell off the ring because it was full. */
  public get dropped(): number {
    return this.droppedCount;
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
    const kept = entries.length > this.capacity ? entries.slice(entries.length - this.capacity) : entries;
    this.droppedCount += alreadyDropped + entries.length - kept.length;
    for (const entry of kept) {
      // The loader's objects are ours alone: share the names in place rather than copy a million objects.
      entry.vmId = this.intern(entry.vmId);
      entry.event = this.intern(entry.event);
      this.ring[entry.seq % this.capacity] = entry;
    }
    const first = kept[0];
    const last = kept.at(-1);
    if (first && last) {
      this.oldestSeq = first.seq;
      this.nextSeq = last.seq + 1;
      this.held = kept.length;
    }
  }

  /**
   * Events with seq greater than `afterSeq`, oldest first, at most `limit` of them.
   *
   * By default the page starts right after `afterSeq` (paging forward). With `newest` it is the
   * last `limit` of them instead: a renderer catching up after a reload wants the present, and
   * the oldest page of a full log would show an event from long ago as the newest one. Seqs
   * missing from a loaded journal are stepped over, so a page is only short at the end.
   */
  public since(afterSeq: number, limit = Number.POSITIVE_INFINITY, options: { readonly newest?: boolean } = {}): EventPage {
    const count = Math.max(0, limit);
    const from = Math.max(this.firstSeq, Math.floor(afterSeq) + 1);
    const events: TimelineEvent[] = [];
    if (options.newest === true) {
      for (let seq = this.nextSeq - 1; seq >= from && events.length < count; seq -= 1) this.collect(seq, events);
      events.reverse();
    } else {
      for (let seq = from; seq < this.nextSeq && events.length < count; seq += 1) this.collect(seq, events);
    }
    return { events, lastSeq: this.lastSeq, dropped: this.droppedCount };
  }

  private collect(seq: number, into: TimelineEvent[]): void {
    const entry = this.ring[seq % this.capacity];
    // A slot can hold an older entry when the loaded journal had a gap at this seq.
    if (entry && entry.seq === seq) into.push(entry);
  }

  private store(entry: TimelineEvent): TimelineEvent {
    const slot = entry.seq % this.capacity;
    const previous = this.ring[slot];
    // The slot's entry is still held only when it is exactly one lap older (a loaded gap leaves older ones).
    if (previous && previous.seq >= this.firstSeq) this.droppedCount += 1;
    else this.held += 1;
    this.ring[slot] = entry;
    this.nextSeq = entry.seq + 1;
    return entry;
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
