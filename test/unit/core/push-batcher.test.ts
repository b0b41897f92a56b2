import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyedCoalescer, PushBatcher } from '../../../electron/core/service/push-batcher';

describe('PushBatcher (time is the subject: fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers everything added within one window as one batch', () => {
    const batches: number[][] = [];
    const batcher = new PushBatcher<number>({ windowMs: 50, maxPerFlush: 1000, deliver: (items) => batches.push([...items]) });
    for (let i = 0; i < 300; i += 1) batcher.add(i);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(300);
  });

  it('caps a batch and sends the rest in later windows, in order', () => {
    const batches: number[][] = [];
    const batcher = new PushBatcher<number>({ windowMs: 50, maxPerFlush: 100, deliver: (items) => batches.push([...items]) });
    for (let i = 0; i < 250; i += 1) batcher.add(i);
    vi.advanceTimersByTime(50);
    expect(batches.map((b) => b.length)).toEqual([100]);
    vi.advanceTimersByTime(50);
    vi.advanceTimersByTime(50);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual([...Array(250).keys()]);
    vi.advanceTimersByTime(500);
    expect(batches).toHaveLength(3);
  });

  it('a flood of 100k items over 1 s gives about one push per window, not one per item', () => {
    let pushes = 0;
    let total = 0;
    const batcher = new PushBatcher<number>({ windowMs: 50, maxPerFlush: 5000, deliver: (items) => ((pushes += 1), (total += items.length)) });
    for (let ms = 0; ms < 1000; ms += 1) {
      for (let i = 0; i < 100; i += 1) batcher.add(i);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(total).toBe(100_000);
    expect(pushes).toBeLessThanOrEqual(22);
  });

  it('dispose drops the queue and stops delivering', () => {
    const deliver = vi.fn();
    const batcher = new PushBatcher<number>({ windowMs: 50, maxPerFlush: 10, deliver });
    batcher.add(1);
    batcher.dispose();
    batcher.add(2);
    vi.advanceTimersByTime(200);
    expect(deliver).not.toHaveBeenCalled();
  });
});

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
