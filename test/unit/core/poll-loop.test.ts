import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollLoop } from '../../../electron/core/jobs/poll-loop';

/** A read that records when it started and resolves when the test says. */
function controlledReads(nextMs: number | undefined = undefined): { loop: (gap: number) => PollLoop; starts: number[]; finish: () => Promise<void> } {
  const starts: number[] = [];
  let resolveRead: ((value: number | undefined) => void) | undefined;
  return {
    starts,
    loop: (gap) =>
      new PollLoop(
        () =>
          new Promise<number | undefined>((resolve) => {
            starts.push(performance.now());
            resolveRead = resolve;
          }),
        gap,
      ),
    finish: async () => {
      resolveRead?.(nextMs);
      resolveRead = undefined;
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe('PollLoop', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('reads at once on start, and a burst of kicks during a read costs one more read', async () => {
    const reads = controlledReads();
    const loop = reads.loop(0);
    loop.start();
    expect(reads.starts).toHaveLength(1);
    for (let index = 0; index < 50; index++) loop.kick();
    await reads.finish();
    expect(reads.starts).toHaveLength(2);
    await reads.finish();
    expect(reads.starts).toHaveLength(2);
  });

  it('starts kicked reads at least the gap apart, however many kicks come', async () => {
    const reads = controlledReads();
    const loop = reads.loop(100);
    loop.start();
    await vi.advanceTimersByTimeAsync(10);
    loop.kick();
    await reads.finish(); // the first read took 10 ms; the kick asked for one more
    expect(reads.starts).toHaveLength(1);
    for (let index = 0; index < 25; index++) {
      loop.kick();
      await vi.advanceTimersByTimeAsync(4);
    }
    expect(reads.starts).toHaveLength(2);
    expect(reads.starts[1]! - reads.starts[0]!).toBe(100);
    await reads.finish();
    for (let index = 0; index < 300; index++) {
      loop.kick();
      await vi.advanceTimersByTimeAsync(1);
      if (reads.starts.length === 3) await reads.finish();
    }
    expect(reads.starts).toHaveLength(4);
    expect(reads.starts[2]! - reads.starts[1]!).toBe(100);
    expect(reads.starts[3]! - reads.starts[2]!).toBe(100);
  });

  it('reads at once when kicked after a quiet spell longer than the gap', async () => {
    const reads = controlledReads();
    const loop = reads.loop(100);
    loop.start();
    await reads.finish();
    await vi.advanceTimersByTimeAsync(500);
    loop.kick();
    expect(reads.starts).toHaveLength(2);
  });

  it('keeps the read\'s own interval when it is longer than the gap, and a kick still comes first', async () => {
    const reads = controlledReads(500);
    const loop = reads.loop(100);
    loop.start();
    await reads.finish();
    await vi.advanceTimersByTimeAsync(499);
    expect(reads.starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads.starts).toHaveLength(2);
    await reads.finish();
    await vi.advanceTimersByTimeAsync(150);
    loop.kick();
    expect(reads.starts).toHaveLength(3);
  });

  it('stop cancels a read waiting out the gap; start reads at once again', async () => {
    const reads = controlledReads();
    const loop = reads.loop(100);
    loop.start();
    await reads.finish();
    loop.kick();
    loop.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads.starts).toHaveLength(1);
    loop.start();
    expect(reads.starts).toHaveLength(2);
  });
});
