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

  it('splits what a window holds into pushes of at most the event and byte budgets', () => {
    const { flow, append, sink, log } = setup();
    const a = sink();
    flow.subscribe(a);
    append(250);
    flow.flush();
    expect(a.pushes.map((p) => [p.afterSeq, p.lastSeq, p.events.length, p.headSeq, p.behind])).toEqual([
      [-1, 99, 100, 249, undefined],
      [99, 199, 100, 249, undefined],
      [199, 249, 50, 249, undefined],
    ]);
    const b = sink();
    flow.subscribe(b);
    append(3, 'x'.repeat(40 * ENTRY_OVERHEAD_BYTES)); // two entries fill the 100-entry byte budget
    flow.flush();
    expect(b.pushes.map((p) => [p.afterSeq, p.events.map((e) => e.seq)])).toEqual([
      [249, [250, 251]],
      [251, [252]],
    ]);
    expect(log.lastSeq).toBe(252);
  });

  it('stops at the unacknowledged window and sends the rest as acknowledgements free it', () => {
    vi.useFakeTimers();
    try {
      const { flow, append, sink } = setup();
      const a = sink();
      flow.subscribe(a);
      append(300);
      flow.flush();
      // 200 entries in flight: the third push would pass the 250-entry window.
      expect(a.pushes.map((p) => p.lastSeq)).toEqual([99, 199]);
      vi.advanceTimersByTime(500);
      expect(a.pushes).toHaveLength(2); // a full window waits for an acknowledgement, not a timer
      const id = a.pushes[0]!.flow!;
      expect(flow.ack(id, 99)).toBe(true);
      vi.advanceTimersByTime(LIMITS.windowMs);
      expect(a.pushes.map((p) => [p.afterSeq, p.lastSeq])).toEqual([
        [-1, 99],
        [99, 199],
        [199, 299],
      ]);
      expect(a.pushes.every((p) => p.behind === undefined && p.headSeq === 299)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not send a subscriber what it says it already holds, nor what the log no longer has', () => {
    const { sink } = setup();
    const log = new EventLog(20);
    const small = new EventFlow(log, LIMITS);
    const a = sink();
    small.subscribe(a);
    for (let i = 0; i < 10; i += 1) log.append('vm', { event: 'E', timestamp: { seconds: 0, microseconds: 0 } });
    small.flush();
    const id = a.pushes[0]!.flow!;
    small.ack(id, 9);
    for (let i = 0; i < 20; i += 1) log.append('vm', { event: 'E', timestamp: { seconds: 0, microseconds: 0 } });
    small.ack(id, 25); // pulled past what was pushed
    small.flush();
    for (let i = 0; i < 30; i += 1) log.append('vm', { event: 'E', timestamp: { seconds: 0, microseconds: 0 } });
    small.flush(); // seqs 30..39 have already left the 20-entry log: the push starts at what it holds
    expect(a.pushes.map((p) => [p.afterSeq, p.events[0]!.seq, p.lastSeq])).toEqual([
      [-1, 0, 9],
      [25, 26, 29],
      [29, 40, 59],
    ]);
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

  it('holds each subscriber to its own window and its transport’s congestion, retrying a congested one', () => {
    vi.useFakeTimers();
    try {
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
      expect(fast.pushes.map((p) => p.events.length)).toEqual([5, 5]);
      expect(slow.pushes.map((p) => p.events.length)).toEqual([5]);
      congested = false;
      vi.advanceTimersByTime(LIMITS.windowMs); // no new event: the flow retries by itself
      expect(slow.pushes.map((p) => [p.afterSeq, p.lastSeq])).toEqual([
        [-1, 4],
        [4, 9],
      ]);
      expect(flow.ack('no-such-flow', 9)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
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
