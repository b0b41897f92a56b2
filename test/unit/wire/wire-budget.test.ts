import { describe, expect, it } from 'vitest';
import { WireBudget } from '../../../electron/core/wire/wire-budget';
import { WireLog } from '../../../electron/core/wire/wire-log';

describe('WireBudget', () => {
  it('bounds the logs together, trimming the one holding most while a quiet one keeps its history', () => {
    const budget = new WireBudget(1000);
    const quiet = new WireLog(800, budget);
    const flooding = new WireLog(800, budget);
    for (let i = 0; i < 5; i++) quiet.add('in', 'q'.repeat(50), i);
    for (let i = 0; i < 100; i++) flooding.add('in', 'f'.repeat(50), i);
    expect(budget.heldBytes).toBe(quiet.heldBytes + flooding.heldBytes);
    expect(budget.heldBytes).toBeLessThanOrEqual(1000);
    expect(quiet.since(0).entries).toHaveLength(5);
    expect(flooding.since(0).entries.map((e) => e.seq).at(-1)).toBe(100);
    expect(flooding.since(0).dropped).toBe(100 - flooding.since(0).entries.length);
  });

  it('keeps each log under its own bound too, and never drops a log\'s newest entry', () => {
    const budget = new WireBudget(100);
    const log = new WireLog(1000, budget);
    log.add('in', 'x'.repeat(300), 1);
    expect(log.since(0).entries.map((e) => e.seq)).toEqual([1]);
    log.add('in', 'y'.repeat(40), 2);
    expect(log.since(0).entries.map((e) => e.seq)).toEqual([2]);
    expect(budget.heldBytes).toBe(40);
  });

  it('stops counting a released log, so the others may use its share', () => {
    const budget = new WireBudget(200);
    const gone = new WireLog(1000, budget);
    const staying = new WireLog(1000, budget);
    gone.add('in', 'g'.repeat(150), 1);
    gone.release();
    for (let i = 0; i < 4; i++) staying.add('in', 's'.repeat(50), i);
    expect(staying.since(0).entries).toHaveLength(4);
    expect(budget.heldBytes).toBe(200);
  });
});
