// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { exactBytes, formatBytes, formatQemuTime, groupedNumber } from '../../../renderer/src/lib/format';
import { describeConnection } from '../../../renderer/src/lib/connection-text';
import { countArrivals, eventsPerSecond } from '../../../renderer/src/lib/event-rate';

describe('groupedNumber', () => {
  it('groups thousands with commas, for numbers and exact 64-bit bigints alike', () => {
    expect(groupedNumber(0)).toBe('0');
    expect(groupedNumber(999)).toBe('999');
    expect(groupedNumber(1_000_000)).toBe('1,000,000');
    expect(groupedNumber(-12_345)).toBe('-12,345');
    expect(groupedNumber(18_446_744_073_709_551_615n)).toBe('18,446,744,073,709,551,615');
  });
});

describe('formatBytes', () => {
  it('uses binary units with at most two decimals', () => {
    expect(formatBytes(0n)).toBe('0 bytes');
    expect(formatBytes(1n)).toBe('1 byte');
    expect(formatBytes(1023n)).toBe('1023 bytes');
    expect(formatBytes(1024n)).toBe('1 KiB');
    expect(formatBytes(134_217_728n)).toBe('128 MiB');
    expect(formatBytes(1_610_612_736n)).toBe('1.5 GiB');
    expect(formatBytes(3n * 1024n ** 4n + 1n)).toBe('3 TiB');
  });

  it('handles 64-bit sizes beyond 2^53 without losing the exact count', () => {
    const huge = 18_446_744_073_709_551_615n;
    expect(formatBytes(huge)).toBe('16 EiB');
    expect(exactBytes(huge)).toBe('18,446,744,073,709,551,615 bytes');
  });
});

describe('formatQemuTime', () => {
  it('prints microseconds with six digits', () => {
    expect(formatQemuTime({ seconds: 1_700_000_000, microseconds: 42 })).toMatch(/^\d\d:\d\d:\d\d\.000042$/);
  });
});

describe('describeConnection', () => {
  it('counts down to the next retry and shows failure reasons', () => {
    const base = { attempt: 2, since: 0 };
    expect(describeConnection({ ...base, phase: 'reconnecting', nextRetryAt: 10_000 }, 7_100)).toBe('reconnecting in 3 s');
    expect(describeConnection({ ...base, phase: 'reconnecting', nextRetryAt: 10_000 }, 10_500)).toBe('reconnecting now');
    expect(describeConnection({ ...base, phase: 'failed', reason: 'ENOENT' }, 0)).toBe('failed: ENOENT');
    expect(describeConnection({ ...base, phase: 'ready' }, 0)).toBe('ready');
  });
});

describe('eventsPerSecond', () => {
  it('buckets one VM’s events into one-second slots of the last window, oldest first', () => {
    const at = (receivedAt: number, vmId = 'a') => ({ seq: receivedAt, vmId, event: 'X', timestamp: { seconds: 0, microseconds: 0 }, receivedAt });
    const now = 10_000;
    const events = [at(1_000), at(6_500), at(7_100), at(7_900), at(8_000, 'b'), at(9_999), at(10_000)];
    const arrivals = countArrivals({}, events);
    expect(eventsPerSecond(arrivals['a'], now, 4)).toEqual([2, 0, 1, 1]);
    expect(eventsPerSecond(arrivals['b'], now, 4)).toEqual([0, 1, 0, 0]);
    expect(eventsPerSecond(undefined, now, 3)).toEqual([0, 0, 0]);
  });

  it('counts QEMU’s events, not the app’s own markers', () => {
    const event = { seq: 1, vmId: 'a', event: 'STOP', timestamp: { seconds: 0, microseconds: 0 }, receivedAt: 10_200 };
    const arrivals = countArrivals({}, [event, { ...event, seq: 2, event: 'stop', marker: 'command' as const }]);
    expect(eventsPerSecond(arrivals['a'], 10_000, 1)).toEqual([1]);
  });
});
