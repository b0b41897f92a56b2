/**
 * Backoff delays: growth, cap and jitter bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../electron/core/qmp/backoff';

const noJitter = { jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from 250 ms and caps at 30 s by default', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelay(n, noJitter));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('stays finite and capped for very long outages', () => {
    expect(backoffDelay(10_000, noJitter)).toBe(30_000);
  });

  it('spreads delays by at most the jitter fraction and never past the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, r) => {
        const base = Math.min(30_000, 250 * 2 ** (attempt - 1));
        const delay = backoffDelay(attempt, {}, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(base * 1.2)));
      }),
    );
  });

  it('honours custom shapes', () => {
    expect(backoffDelay(3, { initialDelayMs: 100, factor: 3, maxDelayMs: 10_000, jitter: 0 })).toBe(900);
  });
});
