import { describe, expect, it, vi } from 'vitest';
import { EventFlow, type EventsPush, type EventSink } from '../../../electron/core/service/event-flow';
import { ENTRY_OVERHEAD_BYTES } from '../../../electron/common/event-bytes';
import { EventLog } from '../../../electron/core/vm/event-log';

const LIMITS = { windowMs: 50, maxEventsPerPush: 100, maxBytesPerPush: 100 * ENTRY_OVERHEAD_BYTES, windowBytes: 250 * ENTRY_OVERHEAD_BYTES };

function setup(limits = LIMITS) {
  const log = new EventLog(10_000);
  const flow = new EventFlow(log, limits);
  const append = (n: number, data?: string) => {
    for (let i = 0; i < n; i += 1) log.append('vm', { event: 'E', timestamp: { seconds: 0, microseconds: 0 }, ...(data ? { data: { d: data } } : {}) });
  };
  const sink = (congested = () => false): EventSink & { pushes: EventsPush[] } => {
    const pushes: EventsPush[] = [];
    return { pushes, send: (p) => pushes.push(p), congested };
  };
  return { log, flow, append, sink };
}

describe('EventFlow', () => {
  it('pushes each window what is new, saying which range it continues', () => {
    const { flow, append, sink } = setup();
    const a = sink();
    flow.subscribe(a);
    append(3);
    flow.flush();
    append(2);
    flow.flush();
    flow.flush(); // nothing new: nothing sent
    expect(a.pushes.map((p) => [p.afterSeq, p.lastSeq, p.events.map((e) => e.seq), p.behind])).toEqual([
      [-1, 2, [0, 1, 2], undefined],
      [2, 4, [3, 4], undefined],
    ]);
    expect(a.pushes[0]!.flow).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a notice instead of a push that would be too many events or too many bytes', () => {
    const { flow, append, sink, log } = setup();
    const a = sink();
    flow.subscribe(a);
    append(101);
    flow.flush();
    expect(a.pushes).toEqual([{ events: [], afterSeq: -1, lastSeq: 100, flow: a.pushes[0]!.flow, behind: true }]);
    const b = sink();
    flow.subscribe(b);
    append(3, 'x'.repeat(40 * ENTRY_OVERHEAD_BYTES)); // three entries over the 100-entry byte budget
    flow.flush();
    expect(b.pushes.map((p) => [p.behind, p.events.length, p.lastSeq])).toEqual([[true, 0, log.lastSeq]]);
  });

  it('stops pushing events past the unacknowledged window, then resumes once the page holds the last notice', () => {
    const { flow, append, sink } = setup();
    const a = sink();
    flow.subscribe(a);
    for (let i = 0; i < 3; i += 1) {
      append(100);
      flow.flush();
    }
    // 200 entries in flight fill the 250-entry window; the third push would pass it.
    expect(a.pushes.map((p) => p.behind === true)).toEqual([false, false, true]);
    append(10);
    flow.flush();
    expect(a.pushes.at(-1)).toMatchObject({ behind: true, afterSeq: 299, lastSeq: 309, events: [] });
    const id = a.pushes[0]!.flow!;
    expect(flow.ack(id, 299)).toBe(false); // pulled up to an older notice: still behind
    expect(flow.ack(id, 309)).toBe(true);
    append(1);
    flow.flush();
    expect(a.pushes.at(-1)).toMatchObject({ afterSeq: 309, lastSeq: 310 });
    expect(a.pushes.at(-1)!.events.map((e) => e.seq)).toEqual([310]);
  });

  it('frees window space as pushes are acknowledged', () => {
    const { flow, append, sink } = setup();
    const a = sink();
    flow.subscribe(a);
    for (let i = 0; i < 10; i += 1) {
      append(100);
      flow.flush();
      flow.ack(a.pushes.at(-1)!.flow!, a.pushes.at(-1)!.lastSeq!);
    }
    expect(a.pushes.every((p) => p.behind !== true && p.events.length === 100)).toBe(true);
  });

  it('holds each subscriber to its own window and its transport’s congestion', () => {
    const { flow, append, sink } = setup();
    let congested = false;
    const fast = sink();
    const slow = sink(() => congested);
    flow.subscribe(fast);
    flow.subscribe(slow);
    append(5);
    flow.flush();
    congested = true;
    append(5);
    flow.flush();
    flow.ack(fast.pushes[0]!.flow!, 9);
    expect(fast.pushes.map((p) => p.events.length)).toEqual([5, 5]);
    expect(slow.pushes.map((p) => [p.events.length, p.behind])).toEqual([[5, undefined], [0, true]]);
    expect(flow.ack('no-such-flow', 9)).toBe(false);
  });

  it('offers at most one window per timer tick, and never after dispose', () => {
    vi.useFakeTimers();
    try {
      const { flow, append, sink, log } = setup();
      const a = sink();
      const unsubscribe = flow.subscribe(a);
      for (let i = 0; i < 50; i += 1) {
        append(1);
        flow.notify();
      }
      vi.advanceTimersByTime(49);
      expect(a.pushes).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(a.pushes).toHaveLength(1);
      expect(a.pushes[0]!.events).toHaveLength(50);
      unsubscribe();
      append(1);
      flow.notify();
      vi.advanceTimersByTime(50);
      expect(a.pushes).toHaveLength(1);
      flow.dispose();
      flow.notify();
      expect(vi.getTimerCount()).toBe(0);
      expect(log.lastSeq).toBe(50);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps serving the other subscribers when one transport throws', () => {
    const { flow, append, sink } = setup();
    flow.subscribe({ send: () => { throw new Error('gone'); } });
    const a = sink();
    flow.subscribe(a);
    append(1);
    flow.flush();
    expect(a.pushes).toHaveLength(1);
  });
});
