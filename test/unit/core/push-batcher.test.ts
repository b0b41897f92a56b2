import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyedCoalescer } from '../../../electron/core/service/push-batcher';

describe('KeyedCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers only the newest value per key once per window', () => {
    const seen: string[] = [];
    const coalescer = new KeyedCoalescer<string>(30, (v) => seen.push(v));
    coalescer.set('a', 'a1');
    coalescer.set('b', 'b1');
    coalescer.set('a', 'a2');
    vi.advanceTimersByTime(30);
    expect(seen).toEqual(['a2', 'b1']);
    coalescer.set('a', 'a3');
    coalescer.drop('a');
    vi.advanceTimersByTime(30);
    expect(seen).toEqual(['a2', 'b1']);
  });
});

describe('KeyedCoalescer with a minimum interval', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A coalescer of 30 ms windows and 250 ms per key (fake timers fake its clock too); `seen` logs `time value`. */
  const make = () => {
    const seen: string[] = [];
    const start = Date.now();
    const coalescer = new KeyedCoalescer<string>(30, (value) => seen.push(`${Date.now() - start} ${value}`), { minIntervalMs: 250 });
    return { seen, coalescer };
  };

  it('sends a quiet key at the next window and a busy one at most once per interval, always its newest value', () => {
    const { seen, coalescer } = make();
    // A change every 10 ms for 600 ms.
    for (let tick = 0; tick < 60; tick++) {
      coalescer.set('vm', `v${tick}`);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1_000);
    // The first at the window; then one per 250 ms with what was newest then; the last value last.
    expect(seen).toEqual(['30 v2', '280 v27', '530 v52', '780 v59']);
  });

  it('keeps keys apart: a busy key does not hold back a quiet one', () => {
    const { seen, coalescer } = make();
    coalescer.set('busy', 'b1');
    vi.advanceTimersByTime(30);
    coalescer.set('busy', 'b2');
    vi.advanceTimersByTime(10);
    coalescer.set('quiet', 'q1');
    vi.advanceTimersByTime(30);
    // The window opened by b2 (at 30) carries q1 out; b2 waits for its interval.
    expect(seen).toEqual(['30 b1', '60 q1']);
    vi.advanceTimersByTime(300);
    expect(seen).toEqual(['30 b1', '60 q1', '280 b2']);
  });

  it('flush sends what waits for its interval; drop forgets the key and its interval', () => {
    const { seen, coalescer } = make();
    coalescer.set('vm', 'v1');
    vi.advanceTimersByTime(30);
    coalescer.set('vm', 'v2');
    coalescer.flush();
    expect(seen).toEqual(['30 v1', '30 v2']);
    coalescer.set('vm', 'v3');
    coalescer.drop('vm');
    coalescer.set('vm', 'v4');
    vi.advanceTimersByTime(30);
    expect(seen).toEqual(['30 v1', '30 v2', '60 v4']);
    coalescer.dispose();
    coalescer.set('vm', 'v5');
    vi.advanceTimersByTime(1_000);
    expect(seen).toHaveLength(3);
  });
});

describe('KeyedCoalescer with urgent changes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a change the urgent rule names at the next window, inside the interval, and paces the rest', () => {
    const seen: string[] = [];
    const start = Date.now();
    // Values are `phase:counter`; a new phase is urgent.
    const coalescer = new KeyedCoalescer<string>(30, (value) => seen.push(`${Date.now() - start} ${value}`), {
      minIntervalMs: 250,
      urgent: (delivered, next) => delivered.split(':')[0] !== next.split(':')[0],
    });
    coalescer.set('vm', 'ready:1');
    vi.advanceTimersByTime(40);
    coalescer.set('vm', 'ready:2');
    vi.advanceTimersByTime(60);
    expect(seen).toEqual(['30 ready:1']);
    // Inside the interval (delivery due at 280), a new phase goes at the next window.
    coalescer.set('vm', 'gone:3');
    vi.advanceTimersByTime(30);
    expect(seen).toEqual(['30 ready:1', '130 gone:3']);
    // Back to pacing: the next ordinary change waits for the interval after that delivery.
    coalescer.set('vm', 'gone:4');
    vi.advanceTimersByTime(100);
    expect(seen).toHaveLength(2);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual(['30 ready:1', '130 gone:3', '380 gone:4']);
  });
});
