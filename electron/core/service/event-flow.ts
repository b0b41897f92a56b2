/**
 * Flow control of the `events` push: the event log is the queue, each subscriber has a cursor
 * and a window.
 *
 * The first design queued every event for the push and sent 5,000 per 50 ms: a flood faster
 * than that grew the queue without end (1.4 GB of main at 245,000 events/s), and a page that
 * read slowly grew the web socket's buffer until the bridge dropped it. The second pushed one
 * shared batch per window and, when a window held more than a push or a subscriber's window
 * was full, sent a `behind` notice and left the page to pull pages with `getEvents`; under a
 * flood on two cores one request took 150–900 ms to go round, so a page that fell behind once
 * stayed behind (38 notices, 19 pulls and one push in a 10 s flood). Here nothing is queued for
 * a push and nothing waits for a request: the log holds every event by seq, and once per
 * window each subscriber is sent what follows its own cursor, in pushes of at most
 * {@link EventFlowLimits.maxEventsPerPush} events (small, so that the page handles each in a
 * few milliseconds between frames), for as long as its unacknowledged bytes stay under its
 * window and its transport says it is not congested. A subscriber that falls behind is
 * therefore caught up by the same pushes, as fast as it acknowledges them, and main holds at
 * most one window per subscriber in flight.
 *
 * Every push says which range it continues (`afterSeq`) and how far the log goes (`headSeq`),
 * so a subscriber that holds less sees the gap and pulls instead of appending out of order, and
 * one that is behind can say so. Acknowledgements (`ackEvents`) carry the subscription's `flow`
 * id, because Electron IPC, unlike a WebSocket, has no buffered-amount to read: the page saying
 * what it holds is the one signal both transports share. A `behind` notice is no longer sent;
 * pages still honour one (see renderer/src/state/event-feed.ts).
 */
import { randomUUID } from 'node:crypto';
import type { PushPayload } from '../../common/contract';
import { accountedBytes } from '../../common/event-bytes';
import type { EventLog } from '../vm/event-log';

/** What one `events` push carries. */
export type EventsPush = PushPayload<'events'>;

/** Budgets of the flow; see {@link DEFAULT_EVENT_FLOW}. */
export interface EventFlowLimits {
  /** How long new events gather before one offer to every subscriber. */
  readonly windowMs: number;
  /** Most events in one push; a window with more sends several. */
  readonly maxEventsPerPush: number;
  /** Most {@link accountedBytes} in one push (a single larger event goes alone). */
  readonly maxBytesPerPush: number;
  /** Most bytes pushed to one subscriber and not yet acknowledged. */
  readonly windowBytes: number;
}

/**
 * The app's budgets: a window every 16 ms (one frame), pushes of at most 2,000 events or 1 MB,
 * 8 MB in flight per subscriber.
 *
 * 2,000 events is what a page parses and indexes in about 10 ms; at 100,000 events/s a window
 * holds 1,600. A page that keeps up never notices the budgets; one that falls behind gets
 * pushes back to back until it is current, as fast as it acknowledges them.
 */
export const DEFAULT_EVENT_FLOW: EventFlowLimits = {
  windowMs: 16,
  maxEventsPerPush: 2_000,
  maxBytesPerPush: 1024 * 1024,
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

  public constructor(
    private readonly sink: EventSink,
    private readonly limits: EventFlowLimits,
    /** The newest seq sent (or acknowledged): the next push starts after it. */
    private cursor: number,
  ) {}

  /** True while the log holds events this subscriber has not been sent. */
  public lagging(lastSeq: number): boolean {
    return this.cursor < lastSeq;
  }

  /**
   * Sends what follows the cursor, push by push, while the window and the transport allow;
   * says why it stopped: nothing left, a full window (an ack will free it), or a congested
   * transport (which says nothing when it drains, so the flow tries again next window).
   */
  public serve(log: Pick<EventLog, 'lastSeq' | 'since'>): 'sent' | 'window' | 'congested' {
    const { maxEventsPerPush, maxBytesPerPush, windowBytes } = this.limits;
    while (this.cursor < log.lastSeq) {
      if (this.sink.congested?.() === true) return 'congested';
      const { events, lastSeq: headSeq } = log.since(this.cursor, maxEventsPerPush, { maxBytes: maxBytesPerPush });
      const last = events.at(-1);
      if (last === undefined) {
        // Everything after the cursor has left the log: nothing to send, and nothing to wait for.
        this.cursor = headSeq;
        return 'sent';
      }
      let bytes = 0;
      for (const event of events) bytes += accountedBytes(event);
      // One push always fits an empty window, so a single event larger than it still goes.
      if (this.unacked > 0 && this.unacked + bytes > windowBytes) return 'window';
      this.sink.send({ events: [...events], afterSeq: this.cursor, lastSeq: last.seq, headSeq, flow: this.id });
      this.pending.push({ end: last.seq, bytes });
      this.unacked += bytes;
      this.cursor = last.seq;
    }
    return 'sent';
  }

  /** The subscriber holds every event up to `seq` (perhaps pulled, past the cursor). */
  public ack(seq: number): void {
    while (this.pending.length > 0 && this.pending[0]!.end <= seq) this.unacked -= this.pending.shift()!.bytes;
    if (this.pending.length === 0) this.unacked = 0;
    if (seq > this.cursor) this.cursor = seq;
  }
}

/** The `events` push of one core, one {@link Subscription} per transport listener. */
export class EventFlow {
  private readonly subscriptions = new Map<string, Subscription>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  public constructor(
    private readonly log: Pick<EventLog, 'lastSeq' | 'since'>,
    private readonly limits: EventFlowLimits = DEFAULT_EVENT_FLOW,
  ) {}

  /** Something was logged (or acknowledged): makes sure a window is scheduled (cheap; call it per event). */
  public notify(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.limits.windowMs);
  }

  /** Adds a subscriber; it is sent every event logged from now on. Returns the unsubscribe function. */
  public subscribe(sink: EventSink): () => void {
    const subscription = new Subscription(sink, this.limits, this.log.lastSeq);
    this.subscriptions.set(subscription.id, subscription);
    return () => this.subscriptions.delete(subscription.id);
  }

  /**
   * A subscriber (named by the `flow` id of its pushes) holds every event up to `seq`.
   *
   * Returns whether the id names a subscription; an unknown one (a subscription that ended,
   * say the page's socket dropped) is answered false and changes nothing.
   */
  public ack(flow: string, seq: number): boolean {
    const subscription = this.subscriptions.get(flow);
    if (!subscription) return false;
    subscription.ack(seq);
    // Room in its window: the next window sends what it is still missing.
    if (subscription.lagging(this.log.lastSeq)) this.notify();
    return true;
  }

  /** Sends every subscriber what it is missing, as far as it may (the timer's work; also on dispose and in tests). */
  public flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lastSeq = this.log.lastSeq;
    let congested = false;
    for (const subscription of [...this.subscriptions.values()]) {
      if (!subscription.lagging(lastSeq)) continue;
      try {
        if (subscription.serve(this.log) === 'congested') congested = true;
      } catch {
        // A broken transport must not stop the other subscribers.
      }
    }
    if (congested) this.notify();
  }

  /** Stops the timer; nothing is offered after this. */
  public dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.subscriptions.clear();
  }
}
