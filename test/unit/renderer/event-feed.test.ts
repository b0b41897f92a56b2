import { describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventBuffer } from '../../../renderer/src/state/event-buffer';
import { EventFeed, PAGE_EVENTS, REPORT_BEHIND_FROM, type FeedProgress } from '../../../renderer/src/state/event-feed';

const ev = (seq: number): TimelineEvent => ({ seq, vmId: 'vm', event: 'E', timestamp: { seconds: 0, microseconds: 0 }, receivedAt: 0 });

/** A core log of `count` events behind a getEvents that pages forward, like the real one. */
function core(count: number) {
  const log = { events: Array.from({ length: count }, (_, seq) => ev(seq)) };
  const getEvents = vi.fn(async (p: { afterSeq: number; limit?: number }) => {
    const after = log.events.filter((e) => e.seq > p.afterSeq).slice(0, p.limit ?? 10_000);
    return { events: after, lastSeq: log.events.at(-1)?.seq ?? -1, held: log.events.length };
  });
  const ackEvents = vi.fn(async (_: { flow: string; seq: number }) => ({ current: true }));
  const add = (n: number) => {
    const from = log.events.length === 0 ? 0 : log.events.at(-1)!.seq + 1;
    for (let i = 0; i < n; i += 1) log.events.push(ev(from + i));
  };
  return { log, api: { getEvents, ackEvents }, add };
}

function feedOver(c: ReturnType<typeof core>) {
  const buffer = new EventBuffer();
  const progress: (FeedProgress | null)[] = [];
  let cleared = 0;
  const feed = new EventFeed(c.api as never, buffer, { taken: () => undefined, cleared: () => (cleared += 1), progress: (p) => progress.push(p) });
  const seqs = () => buffer.window.toArray().map((e) => e.seq);
  return { feed, buffer, progress, seqs, cleared: () => cleared };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('EventFeed', () => {
  it('says it is catching up while pushes bring it a backlog, and current once they have', async () => {
    const c = core(0);
    const f = feedOver(c);
    await f.feed.sync();
    await until(() => f.progress.length > 0); // the first sync says it is current
    f.progress.length = 0;
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ev(from + i));
    const head = 3 * REPORT_BEHIND_FROM;
    f.feed.onPush({ events: batch(0, REPORT_BEHIND_FROM), afterSeq: -1, lastSeq: REPORT_BEHIND_FROM - 1, headSeq: head, flow: 'F' });
    f.feed.onPush({ events: batch(REPORT_BEHIND_FROM, REPORT_BEHIND_FROM), afterSeq: REPORT_BEHIND_FROM - 1, lastSeq: 2 * REPORT_BEHIND_FROM - 1, headSeq: head, flow: 'F' });
    f.feed.onPush({ events: batch(2 * REPORT_BEHIND_FROM, REPORT_BEHIND_FROM + 1), afterSeq: 2 * REPORT_BEHIND_FROM - 1, lastSeq: head, headSeq: head, flow: 'F' });
    expect(f.progress).toEqual([
      { kind: 'catching-up', loaded: 0, total: 2 * REPORT_BEHIND_FROM + 1, behind: 2 * REPORT_BEHIND_FROM + 1 },
      { kind: 'catching-up', loaded: REPORT_BEHIND_FROM, total: 2 * REPORT_BEHIND_FROM + 1, behind: REPORT_BEHIND_FROM + 1 },
      null,
    ]);
    expect(c.api.getEvents).toHaveBeenCalledTimes(1); // the first sync only: no pull while pushes keep coming
    expect(f.buffer.lastSeq).toBe(head);
  });

  it('takes pushes that continue what it holds, and acknowledges each', async () => {
    const c = core(0);
    const f = feedOver(c);
    await f.feed.sync();
    f.feed.onPush({ events: [ev(0), ev(1)], afterSeq: -1, lastSeq: 1, flow: 'F' });
    f.feed.onPush({ events: [ev(1), ev(2)], afterSeq: 0, lastSeq: 2, flow: 'F' }); // overlap: taken once
    expect(f.seqs()).toEqual([0, 1, 2]);
    expect(c.api.ackEvents.mock.calls.map(([p]) => p)).toEqual([{ flow: 'F', seq: 1 }, { flow: 'F', seq: 2 }]);
  });

  it('on a behind notice pulls pages until current, saying how far behind, then acknowledges', async () => {
    const c = core(1);
    const f = feedOver(c);
    await f.feed.sync();
    c.add(2 * PAGE_EVENTS + 10);
    f.feed.onPush({ events: [], afterSeq: 0, lastSeq: c.log.events.length - 1, flow: 'F', behind: true });
    await until(() => f.buffer.lastSeq === 2 * PAGE_EVENTS + 10);
    await until(() => f.progress.at(-1) === null);
    expect(f.buffer.window.length).toBe(2 * PAGE_EVENTS + 11);
    const reports = f.progress.filter((p) => p !== null);
    expect(reports.slice(0, 2)).toEqual([
      { kind: 'catching-up', loaded: 0, total: 2 * PAGE_EVENTS + 10, behind: 2 * PAGE_EVENTS + 10 },
      { kind: 'catching-up', loaded: PAGE_EVENTS, total: 2 * PAGE_EVENTS + 10, behind: PAGE_EVENTS + 10 },
    ]);
    expect(reports.every((p) => p.behind >= REPORT_BEHIND_FROM)).toBe(true);
    expect(c.api.getEvents).toHaveBeenLastCalledWith(expect.objectContaining({ afterSeq: PAGE_EVENTS * 2 }));
    expect(c.api.ackEvents).toHaveBeenLastCalledWith({ flow: 'F', seq: 2 * PAGE_EVENTS + 10 });
  });

  it('leaves a push that skips past what it holds to the pull, so order and completeness hold', async () => {
    const c = core(3);
    const f = feedOver(c);
    await f.feed.sync();
    c.add(4); // 3..6 in the log; the page missed the push of 3..4
    f.feed.onPush({ events: [ev(5), ev(6)], afterSeq: 4, lastSeq: 6, flow: 'F' });
    expect(f.seqs()).toEqual([0, 1, 2]);
    await until(() => f.buffer.lastSeq === 6);
    expect(f.seqs()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(f.progress.filter((p) => p !== null)).toEqual([]); // four behind for one round trip is not reported
  });

  it('loads a big history oldest first in the background, with its progress, after the first page', async () => {
    const c = core(3 * PAGE_EVENTS);
    const f = feedOver(c);
    await f.feed.sync();
    expect(f.buffer.window.length).toBe(PAGE_EVENTS);
    expect(f.progress[0]).toEqual({ kind: 'history', loaded: PAGE_EVENTS, total: 3 * PAGE_EVENTS, behind: 2 * PAGE_EVENTS });
    // Live pushes meanwhile are left to the pull (they continue a range the page does not hold yet).
    c.add(5);
    f.feed.onPush({ events: c.log.events.slice(-5), afterSeq: 3 * PAGE_EVENTS - 1, lastSeq: 3 * PAGE_EVENTS + 4, flow: 'F' });
    await until(() => f.progress.at(-1) === null);
    expect(f.buffer.window.length).toBe(3 * PAGE_EVENTS + 5);
    expect(f.buffer.window.at(0)!.seq).toBe(0);
  });

  it('starts over when the core restarted and counts from 0 again', async () => {
    const c = core(10);
    const f = feedOver(c);
    await f.feed.sync();
    c.log.events = [ev(0), ev(1)];
    await f.feed.sync();
    expect(f.seqs()).toEqual([0, 1]);
    expect(f.cleared()).toBe(1);
  });

  it('gives up quietly when a pull fails and goes on at the next sync', async () => {
    const c = core(5);
    const f = feedOver(c);
    c.api.getEvents.mockRejectedValueOnce(new Error('link lost'));
    await expect(f.feed.sync()).rejects.toThrow('link lost');
    await f.feed.sync();
    expect(f.seqs()).toEqual([0, 1, 2, 3, 4]);
  });
});
