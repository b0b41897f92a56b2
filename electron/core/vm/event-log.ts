/**
 * The app's bounded log of QMP events from every VM.
 *
 * Each event gets a global, gap-free `seq` so a renderer that reloads (or subscribes late) can
 * ask for everything after the last seq it holds and merge without duplicates. The buffer is a
 * ring: when full the oldest events fall off, and `since` reports only what is still kept.
 */
import type { TimelineEvent } from '../../common/models';
import { stringifyJsonLossless } from '../../common/json-text';
import type { QmpEvent } from '../qmp/types';

/** Default capacity: large enough for hours of normal traffic, small enough for memory. */
export const DEFAULT_EVENT_LOG_CAPACITY = 200_000;

/** A page of events for catch-up. */
export interface EventPage {
  readonly events: readonly TimelineEvent[];
  /** Seq of the newest event ever logged (-1 when none), so the caller knows where it stands. */
  readonly lastSeq: number;
}

/** Ring buffer of timeline events, addressed by seq. */
export class EventLog {
  private readonly capacity: number;
  private readonly ring: (TimelineEvent | undefined)[];
  private nextSeq = 0;

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
    return Math.max(0, this.nextSeq - this.capacity);
  }

  /** Number of events currently kept. */
  public get size(): number {
    return this.nextSeq - this.firstSeq;
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
      ...(event.data !== undefined ? { dataJson: stringifyJsonLossless(event.data) } : {}),
    };
    this.ring[this.nextSeq % this.capacity] = entry;
    this.nextSeq += 1;
    return entry;
  }

  /**
   * Events with seq greater than `afterSeq`, oldest first, at most `limit` of them.
   *
   * By default the page starts right after `afterSeq` (paging forward). With `newest` it is the
   * last `limit` of them instead: a renderer catching up after a reload wants the present, and
   * the oldest page of a full log would show an event from long ago as the newest one.
   */
  public since(afterSeq: number, limit = Number.POSITIVE_INFINITY, options: { readonly newest?: boolean } = {}): EventPage {
    const count = Math.max(0, limit);
    let start = Math.max(this.firstSeq, Math.floor(afterSeq) + 1);
    if (options.newest === true) start = Math.max(start, this.nextSeq - count);
    const end = Math.min(this.nextSeq, start + count);
    const events: TimelineEvent[] = [];
    for (let seq = start; seq < end; seq += 1) {
      const entry = this.ring[seq % this.capacity];
      if (entry) events.push(entry);
    }
    return { events, lastSeq: this.lastSeq };
  }
}
