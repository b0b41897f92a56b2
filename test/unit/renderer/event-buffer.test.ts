// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ENTRY_OVERHEAD_BYTES } from '../../../electron/common/event-bytes';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventBuffer, RECENT_PER_VM, recentEventsFor, type EventWindow } from '../../../renderer/src/state/event-buffer';

function ev(seq: number, vmId = 'a', event = 'STOP'): TimelineEvent {
  return { seq, vmId, event, timestamp: { seconds: 1_700_000_000 + seq, microseconds: 5 }, receivedAt: seq };
}
const seqs = (events: EventWindow | readonly TimelineEvent[]) => ('toArray' in events ? events.toArray() : events).map((e) => e.seq);

function bufferOf(events: TimelineEvent[], capacity?: number): EventBuffer {
  const buffer = new EventBuffer(capacity);
  buffer.append(events);
  return buffer;
}

describe('EventBuffer', () => {
  it('appends newer events in order', () => {
    const buffer = bufferOf([ev(0), ev(1)]);
    buffer.append([ev(2), ev(3)]);
    expect(seqs(buffer.window)).toEqual([0, 1, 2, 3]);
    expect(buffer.lastSeq).toBe(3);
  });

  it('skips events at or below the newest seq (pushed during start-up and again in a catch-up)', () => {
    const buffer = bufferOf([ev(3), ev(4)]);
    expect(seqs(buffer.append([ev(3), ev(4), ev(5)]))).toEqual([5]);
    expect(seqs(buffer.window)).toEqual([3, 4, 5]);
  });

  it('sorts an out-of-order batch and drops its repeats', () => {
    const buffer = bufferOf([ev(1)]);
    buffer.append([ev(4), ev(2), ev(3), ev(2), ev(0)]);
    expect(seqs(buffer.window)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the same window when nothing is new, so subscribers can skip a render', () => {
    const buffer = bufferOf([ev(1), ev(2)]);
    const before = buffer.window;
    expect(buffer.append([ev(2), ev(1)])).toEqual([]);
    expect(buffer.append([])).toEqual([]);
    expect(buffer.window).toBe(before);
  });

  it('keeps only the newest events beyond the capacity and counts the dropped ones', () => {
    const buffer = bufferOf(Array.from({ length: 10 }, (_, i) => ev(i)), 5);
    buffer.append([ev(10), ev(11)]);
    expect(seqs(buffer.window)).toEqual([7, 8, 9, 10, 11]);
    expect(buffer.window.dropped).toBe(7);
    expect(buffer.window.start).toBe(7);
    expect(buffer.window.atPosition(7)?.seq).toBe(7);
    expect(buffer.window.atPosition(6)).toBeUndefined();
  });

  it('holds a million events across chunk boundaries, each push costing its batch only', () => {
    const capacity = 1_000_000;
    const buffer = new EventBuffer(capacity);
    const batch = 5_000;
    let seq = 0;
    const times: number[] = [];
    for (let round = 0; round < 240; round++) {
      const events = Array.from({ length: batch }, () => ev(seq++, round % 2 ? 'a' : 'b'));
      const started = performance.now();
      buffer.append(events);
      times.push(performance.now() - started);
    }
    const { window } = buffer;
    expect(window.length).toBe(capacity);
    expect(window.dropped).toBe(seq - capacity);
    expect(window.at(0)?.seq).toBe(seq - capacity);
    expect(window.at(capacity - 1)?.seq).toBe(seq - 1);
    expect(window.at(4095)?.seq).toBe(seq - capacity + 4095);
    expect(window.at(4096)?.seq).toBe(seq - capacity + 4096);
    // The last pushes (buffer full, dropping) are no slower than the first ones (buffer empty) by much.
    const early = times.slice(5, 25).sort((a, b) => a - b)[10]!;
    const late = times.slice(-20).sort((a, b) => a - b)[10]!;
    expect(late).toBeLessThan(Math.max(early * 10, 5));
  });

  it('keeps older windows readable after later pushes', () => {
    const buffer = bufferOf([ev(0), ev(1)]);
    const old = buffer.window;
    buffer.append([ev(2)]);
    expect(old.length).toBe(2);
    expect(seqs(old)).toEqual([0, 1]);
    expect(old.last()?.seq).toBe(1);
    expect(buffer.window.version).toBeGreaterThan(old.version);
  });

  it('clears when the core restarted, so seqs from 0 are taken again', () => {
    const buffer = bufferOf([ev(7), ev(8)]);
    buffer.clear();
    expect(buffer.window.length).toBe(0);
    expect(buffer.lastSeq).toBe(-1);
    buffer.append([ev(0)]);
    expect(seqs(buffer.window)).toEqual([0]);
  });
});

describe('recentEventsFor', () => {
  it('returns one VM’s newest events first, at most the limit', () => {
    const { window } = bufferOf([ev(0, 'a'), ev(1, 'b'), ev(2, 'a'), ev(3, 'a'), ev(4, 'b')]);
    expect(seqs(recentEventsFor(window, 'a', 2))).toEqual([3, 2]);
    expect(seqs(recentEventsFor(window, 'b', 10))).toEqual([4, 1]);
    expect(recentEventsFor(window, 'zzz', 10)).toEqual([]);
  });

  it('leaves the app’s markers to the timeline', () => {
    const marker: TimelineEvent = { ...ev(1, 'a', 'command'), marker: 'command', dataJson: '{"command":"stop","outcome":"ok"}' };
    const { window } = bufferOf([ev(0, 'a'), marker]);
    expect(seqs(recentEventsFor(window, 'a', 5))).toEqual([0]);
    expect(window.length).toBe(2);
  });

  it('finds a quiet VM’s last events however many other events came after them', () => {
    const buffer = bufferOf([ev(0, 'quiet')]);
    for (let round = 0; round < 10; round++) buffer.append(Array.from({ length: 1_000 }, (_, i) => ev(1 + round * 1_000 + i, 'busy')));
    expect(seqs(recentEventsFor(buffer.window, 'quiet', 5))).toEqual([0]);
    expect(recentEventsFor(buffer.window, 'busy', 100)).toHaveLength(RECENT_PER_VM);
    expect(recentEventsFor(buffer.window, 'busy', 1)[0]?.seq).toBe(10_000);
  });
});

describe('EventBuffer byte bound', () => {
  const big = (seq: number): TimelineEvent => ({ ...ev(seq), dataJson: 'x'.repeat(1000) });
  const size = ENTRY_OVERHEAD_BYTES + 1000;

  it('drops the oldest events once their bytes pass the bound, counting them as dropped', () => {
    const buffer = new EventBuffer(1_000_000, size * 3);
    buffer.append(Array.from({ length: 10 }, (_, seq) => big(seq)));
    expect(seqs(buffer.window)).toEqual([7, 8, 9]);
    expect(buffer.window.dropped).toBe(7);
    // Small ones after big ones: dropping one big one makes room for several.
    buffer.append(Array.from({ length: 5 }, (_, i) => ev(10 + i)));
    expect(seqs(buffer.window)).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(buffer.window.dropped).toBe(8);
  });

  it('keeps the newest event even when it alone is over the bound', () => {
    const buffer = new EventBuffer(1_000_000, 10);
    buffer.append([big(0), big(1)]);
    expect(seqs(buffer.window)).toEqual([1]);
  });

  it('holds a flood of 4 KB events to its bound across chunks, oldest first', () => {
    const buffer = new EventBuffer(1_000_000, 16 * 1024 * 1024);
    for (let start = 0; start < 20_000; start += 1_000) {
      buffer.append(Array.from({ length: 1_000 }, (_, i) => ({ ...ev(start + i), dataJson: 'y'.repeat(4096) })));
    }
    const held = buffer.window.length;
    expect(held * (ENTRY_OVERHEAD_BYTES + 4096)).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(held + buffer.window.dropped).toBe(20_000);
    expect(buffer.window.at(0)!.seq).toBe(20_000 - held);
    expect(buffer.window.last()!.seq).toBe(19_999);
  });
});
