// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { mergeEvents, recentEventsFor } from '../../../renderer/src/state/event-buffer';

function ev(seq: number, vmId = 'a', event = 'STOP'): TimelineEvent {
  return { seq, vmId, event, timestamp: { seconds: 1_700_000_000 + seq, microseconds: 5 }, receivedAt: seq };
}
const seqs = (events: readonly TimelineEvent[]) => events.map((e) => e.seq);

describe('mergeEvents', () => {
  it('appends newer events in order', () => {
    expect(seqs(mergeEvents([ev(0), ev(1)], [ev(2), ev(3)]))).toEqual([0, 1, 2, 3]);
  });

  it('drops events seen twice (pushed during start-up and again in the backlog)', () => {
    const pushedFirst = [ev(5), ev(6)];
    const backlog = [ev(3), ev(4), ev(5)];
    expect(seqs(mergeEvents(pushedFirst, backlog))).toEqual([3, 4, 5, 6]);
  });

  it('sorts an out-of-order batch', () => {
    expect(seqs(mergeEvents([ev(1)], [ev(4), ev(2), ev(3), ev(2)]))).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new, so subscribers can skip a render', () => {
    const current = [ev(1), ev(2)];
    expect(mergeEvents(current, [ev(2), ev(1)])).toBe(current);
    expect(mergeEvents(current, [])).toBe(current);
  });

  it('keeps only the newest events beyond the capacity', () => {
    const many = Array.from({ length: 10 }, (_, i) => ev(i));
    expect(seqs(mergeEvents(many, [ev(10), ev(11)], 5))).toEqual([7, 8, 9, 10, 11]);
    expect(seqs(mergeEvents([ev(9)], [ev(3), ev(1), ev(2)], 2))).toEqual([3, 9]);
  });
});

describe('recentEventsFor', () => {
  it('returns one VM’s newest events first, at most the limit', () => {
    const events = [ev(0, 'a'), ev(1, 'b'), ev(2, 'a'), ev(3, 'a'), ev(4, 'b')];
    expect(seqs(recentEventsFor(events, 'a', 2))).toEqual([3, 2]);
    expect(seqs(recentEventsFor(events, 'b', 10))).toEqual([4, 1]);
    expect(recentEventsFor(events, 'zzz', 10)).toEqual([]);
  });
});
