/**
 * Keeps the page's event buffer complete and current: takes pushes while they continue what it
 * holds, pulls pages from the core's log whenever it is behind, and tells the core what it holds.
 *
 * The core pushes events only while a page keeps up (see electron/core/service/event-flow.ts);
 * a page that falls behind gets a `behind` notice instead and catches up here, one
 * `getEvents` page at a time, bounded by count and bytes. A request answered is the next
 * request sent, so a slow page pulls slowly and nothing piles up in main or on the socket.
 * Every push names the range it continues (`afterSeq`): one that does not start at or before
 * the newest seq held means something was skipped, and is left to the pull, which reads the
 * log itself, so nothing is lost or taken out of order.
 *
 * History after a start or a reload is the same pull from the oldest event the core holds
 * forward (oldest to newest, then the live tail): the buffer stays append-only, so every push
 * and page costs its own size, with a progress report per page.
 */
import type { PushPayload, QmpMonitorApi } from '../../../electron/common/contract';
import type { TimelineEvent } from '../../../electron/common/models';
import type { EventBuffer } from './event-buffer';

/** Most events asked for in one page. */
export const PAGE_EVENTS = 50_000;
/** Most bytes asked for in one page (the core's accounting: data text plus a fixed share). */
export const PAGE_BYTES = 8 * 1024 * 1024;
/**
 * A catch-up this far behind is reported (one push's worth): a page a few events behind for one
 * round trip is not news, and an indicator blinking on and off each window would be noise.
 */
export const REPORT_BEHIND_FROM = 5_000;

/** What the feed is doing, for the timeline's indicator; null while it is current. */
export interface FeedProgress {
  /** `history`: the first load after a start or reload; `catching-up`: after a notice or a gap. */
  readonly kind: 'history' | 'catching-up';
  /** Events taken in so far by this load or catch-up. */
  readonly loaded: number;
  /** Events the core held when the history load began (its "of N"); for catching up, loaded + behind. */
  readonly total: number;
  /** How far the newest event held is behind the newest the core reported. */
  readonly behind: number;
}

/** Who the feed reports to (the store). */
export interface FeedOutput {
  /** Events newly taken in, oldest first (already appended to the buffer). */
  taken(fresh: readonly TimelineEvent[]): void;
  /** The core restarted and counts from 0 again: the buffer was cleared. */
  cleared(): void;
  progress(progress: FeedProgress | null): void;
}

/** The pull-and-acknowledge half of the events flow, one per store. */
export class EventFeed {
  /** The `flow` id of the newest push, to acknowledge with. */
  private flow: string | undefined;
  /** The newest seq the core said it has. */
  private target = -1;
  private pulling = false;
  private generation = 0;
  /** Events taken by pushes since the page was last reported behind; null while it is current. */
  private pushCatchUp: { readonly loaded: number } | null = null;

  constructor(
    private readonly api: Pick<QmpMonitorApi, 'getEvents' | 'ackEvents'>,
    private readonly buffer: EventBuffer,
    private readonly output: FeedOutput,
  ) {}

  /** Seq of the newest event held. */
  get heldSeq(): number {
    return this.buffer.lastSeq;
  }

  /**
   * Pulls until current, from what the buffer holds; resolves once the first page is in.
   *
   * The rest goes on in the background; a later call supersedes an earlier one (its answers
   * are dropped), as after the link to the core came back.
   */
  sync(): Promise<void> {
    const generation = ++this.generation;
    this.pulling = true;
    return new Promise<void>((firstIn, failed) => {
      void this.pull(generation, firstIn, failed);
    });
  }

  /** One `events` push: taken when it continues what is held, else a catch-up starts. */
  onPush(push: PushPayload<'events'>): void {
    if (push.flow !== undefined) this.flow = push.flow;
    const newest = push.lastSeq ?? push.events.at(-1)?.seq ?? -1;
    if (newest > this.target) this.target = newest;
    const continues = push.behind !== true && (push.afterSeq === undefined || push.afterSeq <= this.heldSeq);
    const fresh = continues && push.events.length > 0 ? this.take(push.events) : [];
    if (this.pulling) return;
    if (this.target > this.heldSeq) {
      this.pushCatchUp = null;
      this.pulling = true;
      void this.pull(this.generation, undefined, undefined);
    } else if (push.flow !== undefined) {
      this.ack();
      this.reportPushCatchUp(fresh.length, (push.headSeq ?? this.heldSeq) - this.heldSeq);
    }
  }

  /**
   * While pushes catch the page up (the core sends what it misses back to back, see
   * event-flow.ts), says how far behind it is, the way a pull does; once it is within
   * {@link REPORT_BEHIND_FROM} again, says it is current.
   */
  private reportPushCatchUp(taken: number, behind: number): void {
    if (this.pushCatchUp === null && behind < REPORT_BEHIND_FROM) return;
    if (behind < REPORT_BEHIND_FROM) {
      this.pushCatchUp = null;
      this.output.progress(null);
      return;
    }
    const loaded = (this.pushCatchUp?.loaded ?? 0) + (this.pushCatchUp === null ? 0 : taken);
    this.pushCatchUp = { loaded };
    this.output.progress({ kind: 'catching-up', loaded, total: loaded + behind, behind });
  }

  private async pull(generation: number, firstIn: (() => void) | undefined, failed: ((error: unknown) => void) | undefined): Promise<void> {
    let kind: FeedProgress['kind'] = this.heldSeq < 0 ? 'history' : 'catching-up';
    let loaded = 0;
    let total = 0;
    try {
      for (;;) {
        const afterSeq = this.heldSeq;
        const behindNow = this.target - afterSeq;
        if (kind === 'catching-up' && behindNow >= REPORT_BEHIND_FROM) this.output.progress({ kind, loaded, total: loaded + behindNow, behind: behindNow });
        const page = await this.api.getEvents({ afterSeq, limit: PAGE_EVENTS, maxBytes: PAGE_BYTES });
        // Superseded by a newer sync: its caller learns that from its own generation.
        if (generation !== this.generation) return firstIn?.();
        if (page.lastSeq < afterSeq) {
          // The core restarted and counts from 0 again: what we hold is from another log.
          this.buffer.clear();
          this.output.cleared();
          this.target = page.lastSeq;
          kind = 'history';
          loaded = 0;
          total = 0;
          continue;
        }
        if (total === 0) total = kind === 'history' ? (page.held ?? page.events.length) : Math.max(0, page.lastSeq - afterSeq);
        this.target = Math.max(this.target, page.lastSeq);
        const fresh = this.take(page.events);
        loaded += fresh.length;
        firstIn?.(); // once settled, later calls do nothing
        // Nothing after what we hold: the log no longer has (or never had) the seqs up to the target.
        if (page.events.length === 0) this.target = this.heldSeq;
        const behind = Math.max(0, this.target - this.heldSeq);
        if (behind === 0 || page.events.length === 0) break;
        if (kind === 'history') this.output.progress({ kind, loaded, total: Math.max(total, loaded + behind), behind });
      }
    } catch (error) {
      // The link dropped (or the core failed): the next sync after it comes back goes on from here.
      if (generation === this.generation) {
        this.pulling = false;
        this.output.progress(null);
      }
      failed?.(error);
      return;
    }
    if (generation !== this.generation) return;
    this.pulling = false;
    this.output.progress(null);
    this.ack();
    // A push that raised the target during the last page (and could not be taken) starts the next round.
    if (this.target > this.heldSeq) this.onPush({ events: [], lastSeq: this.target, behind: true });
  }

  /** Appends what is new and reports it. */
  private take(events: readonly TimelineEvent[]): TimelineEvent[] {
    const fresh = this.buffer.append(events);
    if (fresh.length > 0) this.output.taken(fresh);
    return fresh;
  }

  /** Tells the core what is held, so it pushes events again (fire and forget: a lost ack only delays). */
  private ack(): void {
    if (this.flow === undefined) return;
    this.api.ackEvents({ flow: this.flow, seq: this.heldSeq }).catch(() => undefined);
  }
}
