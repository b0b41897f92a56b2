/**
 * Flow control of the `events` push: the event log is the queue, each subscriber gets a window.
 *
 * The first design queued every event for the push and sent 5,000 per 50 ms: a flood faster
 * than that grew the queue without end (1.4 GB of main at 245,000 events/s), and a page that
 * read slowly grew the web socket's buffer until the bridge dropped it. Here nothing is queued
 * for a push: the log already holds every event by seq. Once per window the flow reads what is
 * new from the log and offers it to each subscriber:
 *
 * - a subscriber that is current and whose unacknowledged pushes stay under its window (and
 *   whose transport says it is not congested) gets the events;
 * - otherwise it gets a small notice (`behind`, with `lastSeq`) instead, at most one per window,
 *   and pulls what it misses with `getEvents` (request/response, so it never has more in flight
 *   than one page). Once it acknowledges a seq at or past the last notice, pushes resume.
 *
 * Every push says which range it continues (`afterSeq`), so a subscriber that holds less sees
 * the gap and pulls instead of appending out of order. Acknowledgements (`ackEvents`) carry the
 * subscription's `flow` id, because Electron IPC, unlike a WebSocket, has no buffered-amount to
 * read: the page saying what it holds is the one signal both transports share.
 */
import { randomUUID } from 'node:crypto';
import type { PushPayload } from '../../common/contract';
import type { TimelineEvent } from '../../common/models';
import { accountedBytes } from '../../common/event-bytes';
import type { EventLog } from '../vm/event-log';

/** What one `events` push carries. */
export type EventsPush = PushPayload<'events'>;

/** Budgets of the flow; see {@link DEFAULT_EVENT_FLOW}. */
export interface EventFlowLimits {
  /** How long new events gather before one offer to every subscriber. */
  readonly windowMs: number;
  /** Most events in one push; a window with more sends notices instead. */
  readonly maxEventsPerPush: number;
  /** Most {@link accountedBytes} in one push; a window with more sends notices instead. */
  readonly maxBytesPerPush: number;
  /** Most bytes pushed to one subscriber and not yet acknowledged. */
  readonly windowBytes: number;
}

/**
 * The app's budgets: 5,000 events (100,000/s) or 4 MB per 50 ms push, two pushes in flight.
 *
 * A page that keeps up never notices them; a faster flood or a slower page switches that page
 * to pulling 8 MB pages, which is faster than pushing anyway (one round trip per page).
 */
export const DEFAULT_EVENT_FLOW: EventFlowLimits = {
  windowMs: 50,
  maxEventsPerPush: 5_000,
  maxBytesPerPush: 4 * 1024 * 1024,
  windowBytes: 8 * 1024 * 1024,
};

/** Where one subscriber's pushes go. */
export interface EventSink {
  send(payload: EventsPush): void;
  /** True while the transport holds too much unsent itself (the web bridge's bufferedAmount). */
  congested?(): boolean;
}

/** One subscriber's position in the flow. */
class Subscription {
  public readonly id = randomUUID();
  /** Pushes sent and not yet acknowledged, oldest first: the seq each ends at and its bytes. */
  private pending: { readonly end: number; readonly bytes: number }[] = [];
  private unacked = 0;
  /** The `lastSeq` of the last notice while behind; null while pushes carry events. */
  private behindSeq: number | null = null;

  public constructor(
    private readonly sink: EventSink,
    private readonly windowBytes: number,
  ) {}

  /** Offers one window's range `(afterSeq, lastSeq]`: its events, or null when they were too many for a push. */
  public offer(batch: { readonly events: TimelineEvent[]; readonly bytes: number } | null, afterSeq: number, lastSeq: number): void {
    const fits = batch !== null && this.behindSeq === null && this.unacked + batch.bytes <= this.windowBytes && this.sink.congested?.() !== true;
    if (fits) {
      this.sink.send({ events: batch.events, afterSeq, lastSeq, flow: this.id });
      this.pending.push({ end: lastSeq, bytes: batch.bytes });
      this.unacked += batch.bytes;
      return;
    }
    this.behindSeq = lastSeq;
    this.sink.send({ events: [], afterSeq, lastSeq, flow: this.id, behind: true });
  }

  /** The subscriber holds every event up to `seq`; returns true when pushes carry events again. */
  public ack(seq: number): boolean {
    while (this.pending.length > 0 && this.pending[0]!.end <= seq) this.unacked -= this.pending.shift()!.bytes;
    if (this.behindSeq !== null && seq >= this.behindSeq) {
      this.behindSeq = null;
      this.pending = [];
      this.unacked = 0;
    }
    return this.behindSeq === null;
  }
}

/** The `events` push of one core, one {@link Subscription} per transport listener. */
export class EventFlow {
  private readonly subscriptions = new Map<string, Subscription>();
  /** The newest seq already offered: the next window starts after it. */
  private offeredSeq: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  public constructor(
    private readonly log: Pick<EventLog, 'lastSeq' | 'since'>,
    private readonly limits: EventFlowLimits = DEFAULT_EVENT_FLOW,
  ) {
    this.offeredSeq = log.lastSeq;
  }

  /** Something was logged: makes sure a window is scheduled (cheap; call it per event). */
  public notify(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.limits.windowMs);
  }

  /** Adds a subscriber; it gets every window from the next one on. Returns the unsubscribe function. */
  public subscribe(sink: EventSink): () => void {
    const subscription = new Subscription(sink, this.limits.windowBytes);
    this.subscriptions.set(subscription.id, subscription);
    return () => this.subscriptions.delete(subscription.id);
  }

  /**
   * A subscriber (named by the `flow` id of its pushes) holds every event up to `seq`.
   *
   * Returns whether its pushes carry events; an unknown id (a subscription that ended, say the
   * page's socket dropped) is answered false and changes nothing.
   */
  public ack(flow: string, seq: number): boolean {
    return this.subscriptions.get(flow)?.ack(seq) ?? false;
  }

  /** Offers what is new right now (the timer's work; also on dispose and in tests). */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const afterSeq = this.offeredSeq;
    const lastSeq = this.log.lastSeq;
    if (lastSeq <= afterSeq) return;
    this.offeredSeq = lastSeq;
    if (this.subscriptions.size === 0) return;
    const batch = this.batch(afterSeq, lastSeq);
    for (const subscription of [...this.subscriptions.values()]) {
      try {
        subscription.offer(batch, afterSeq, lastSeq);
      } catch {
        // A broken transport must not stop the other subscribers.
      }
    }
  }

  /** Stops the timer; nothing is offered after this. */
  public dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.subscriptions.clear();
  }

  /** The range's events when they fit one push, else null (never reads more than one push's worth). */
  private batch(afterSeq: number, lastSeq: number): { events: TimelineEvent[]; bytes: number } | null {
    const { maxEventsPerPush, maxBytesPerPush } = this.limits;
    if (lastSeq - afterSeq > maxEventsPerPush) return null;
    const { events } = this.log.since(afterSeq, maxEventsPerPush, { maxBytes: maxBytesPerPush + 1 });
    let bytes = 0;
    for (const event of events) bytes += accountedBytes(event);
    const last = events.at(-1);
    // Short of lastSeq means the byte budget cut it (entries the log dropped meanwhile only shorten the front).
    if (bytes > maxBytesPerPush || (last !== undefined && last.seq < lastSeq)) return null;
    return { events: [...events], bytes };
  }
}
