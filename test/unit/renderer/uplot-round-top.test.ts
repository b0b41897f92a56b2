/**
 * A chart's y scale ends at a round number at or above its data, so even a short chart labels
 * its top.
 */
import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { roundTopRange } from '../../../renderer/src/ui/uplot-support';

const top = (max: number): number => roundTopRange(null as unknown as uPlot, 0, max)[1]!;

describe('roundTopRange', () => {
  it.each([
    [0, 1],
    [Number.NaN, 1],
    [1, 1],
    [1.5, 2],
    [2.1, 2.5],
    [3, 5],
    [7, 10],
    [100, 100],
    [101, 200],
    [47_000, 50_000],
    [240_000, 250_000],
  ])('tops %d at %d', (max, expected) => {
    expect(top(max)).toBe(expected);
    expect(roundTopRange(null as unknown as uPlot, 0, max)[0]).toBe(0);
  });

  it('never ends below the data, for any maximum', () => {
    for (let max = 1; max < 1e7; max = max * 1.37 + 0.1) expect(top(max)).toBeGreaterThanOrEqual(max);
  });
});
