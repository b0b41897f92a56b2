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
