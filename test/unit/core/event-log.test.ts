import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { ENTRY_OVERHEAD_BYTES, accountedBytes } from '../../../electron/common/event-bytes';
import { EventLog, appClockTimestamp } from '../../../electron/core/vm/event-log';

const ev = (n: number, data?: Record<string, unknown>) => ({
  event: `E${n}`,
  timestamp: { seconds: 1_700_000_000 + n, microseconds: n },
  ...(data ? { data: data as never } : {}),
});

describe('EventLog', () => {
  it('assigns gap-free seqs across VMs and keeps QEMU timestamp and arrival time', () => {
    const log = new EventLog(10);
    expect(log.lastSeq).toBe(-1);
    const a = log.append('vm-a', ev(1), 111);
    const b = log.append('vm-b', ev(2, { reason: 'x' }), 222);
    expect([a.seq, b.seq]).toEqual([0, 1]);
    expect(a).toEqual({ seq: 0, vmId: 'vm-a', event: 'E1', timestamp: { seconds: 1_700_000_001, microseconds: 1 }, receivedAt: 111 });
    expect(b.dataJson).toBe('{"reason":"x"}');
    expect(log.lastSeq).toBe(1);
  });

  it('since() returns events after a seq, oldest first, capped by limit', () => {
    const log = new EventLog(100);
    for (let i = 0; i < 20; i += 1) log.append('vm', ev(i));
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([...Array(20).keys()]);
    expect(log.since(14).events.map((e) => e.seq)).toEqual([15, 16, 17, 18, 19]);
    expect(log.since(4, 3).events.map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(log.since(19).events).toEqual([]);
    expect(log.since(19).lastSeq).toBe(19);
    expect(log.since(500).events).toEqual([]);
  });

  it('drops the oldest events when full and reports only what is kept', () => {
    const log = new EventLog(5);
    for (let i = 0; i < 12; i += 1) log.append('vm', ev(i));
    expect(log.size).toBe(5);
    expect(log.firstSeq).toBe(7);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11]);
    expect(log.since(8).events.map((e) => e.event)).toEqual(['E9', 'E10', 'E11']);
  });

  it('since(…, {newest}) ends at the newest event when more are held than one page', () => {
    // The reload bug: 49,975 events held, a catch-up page of 10,000 ended at event 9,999.
    const log = new EventLog(60_000);
    for (let i = 0; i < 49_975; i += 1) log.append('vm', ev(i));
    const tail = log.since(-1, 10_000, { newest: true });
    expect(tail.events).toHaveLength(10_000);
    expect(tail.events[0]!.seq).toBe(39_975);
    expect(tail.events.at(-1)!.seq).toBe(49_974);
    expect(tail.lastSeq).toBe(49_974);
    expect(log.since(49_970, 10_000, { newest: true }).events.map((e) => e.seq)).toEqual([49_971, 49_972, 49_973, 49_974]);
    expect(log.since(-1, 10_000).events.at(-1)!.seq).toBe(9_999);
  });

  it('keeps 64-bit integers in data exact', () => {
    const log = new EventLog(2);
    const entry = log.append('vm', { event: 'BIG', timestamp: { seconds: 1, microseconds: 2 }, data: { offset: 18446744073709551615n } });
    expect(entry.dataJson).toBe('{"offset":18446744073709551615}');
  });

  it('refuses a nonsensical capacity', () => {
    expect(() => new EventLog(0)).toThrow(/positive integer/);
  });

  it('reports how many entries fell off a full ring', () => {
    const log = new EventLog(3);
    for (let i = 0; i < 7; i += 1) log.append('vm', ev(i));
    expect(log.dropped).toBe(4);
    expect(log.since(-1)).toMatchObject({ lastSeq: 6, dropped: 4 });
  });

  it('stamps markers with the app clock in the shared shape, in the same seq as QEMU events', () => {
    const log = new EventLog(10);
    log.append('vm', ev(1));
    const m = log.appendMarker('vm', { marker: 'command', event: 'stop', data: { command: 'stop', outcome: 'ok' } }, 1_700_000_000_123);
    expect(m).toEqual({
      seq: 1,
      vmId: 'vm',
      event: 'stop',
      timestamp: { seconds: 1_700_000_000, microseconds: 123_000 },
      receivedAt: 1_700_000_000_123,
      dataJson: '{"command":"stop","outcome":"ok"}',
      marker: 'command',
    });
    expect(appClockTimestamp(5)).toEqual({ seconds: 0, microseconds: 5000 });
  });

  it('restores journal entries with their seqs, continues after the highest and steps over gaps', () => {
    const loaded = (seqs: number[]): TimelineEvent[] =>
      seqs.map((seq) => ({ seq, vmId: 'vm', event: `E${seq}`, timestamp: { seconds: seq, microseconds: 0 }, receivedAt: seq }));
    const log = new EventLog(5);
    log.restore(loaded([10, 11, 13, 14]));
    expect(log.firstSeq).toBe(10);
    expect(log.size).toBe(4);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([10, 11, 13, 14]);
    expect(log.since(-1, 2).events.map((e) => e.seq)).toEqual([10, 11]);
    expect(log.since(-1, 2, { newest: true }).events.map((e) => e.seq)).toEqual([13, 14]);
    expect(log.append('vm', ev(1)).seq).toBe(15); // one lap after 10: pushes it out
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([11, 13, 14, 15]);
    expect([log.size, log.dropped]).toEqual([4, 1]);
    log.append('vm', ev(2)); // 16 pushes out 11
    log.append('vm', ev(3)); // 17 lands on the gap's slot (12): nothing to drop
    expect([log.size, log.dropped]).toEqual([5, 2]);
    log.append('vm', ev(4)); // 18 pushes out 13
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([14, 15, 16, 17, 18]);
    expect([log.size, log.dropped]).toEqual([5, 3]);
  });

  it('restores only the newest entries that fit and counts the rest as dropped', () => {
    const log = new EventLog(2);
    log.restore([0, 1, 2].map((seq) => ({ seq, vmId: 'vm', event: 'E', timestamp: { seconds: 0, microseconds: 0 }, receivedAt: 0 })));
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(log.dropped).toBe(1);
    expect(() => log.restore([])).toThrow(/before the first append/);
    const counted = new EventLog(2);
    counted.restore([], 40); // older entries the journal loader already left out
    expect(counted.since(-1).dropped).toBe(40);
  });
});

describe('EventLog byte bound', () => {
  const blob = (n: number) => ({ text: 'x'.repeat(n) });
  // {"text":"xxx…"} is the data text: 11 characters around the payload.
  const size = (n: number) => ENTRY_OVERHEAD_BYTES + 11 + n;

  it('drops the oldest entries once their bytes pass the bound, counting them as dropped', () => {
    const log = new EventLog(1_000, size(1000) * 3);
    for (let i = 0; i < 10; i += 1) log.append('vm', ev(i, blob(1000)));
    expect(log.size).toBe(3);
    expect(log.bytes).toBe(size(1000) * 3);
    expect(log.dropped).toBe(7);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([7, 8, 9]);
    expect(log.firstSeq).toBe(7);
    // Small entries after big ones: one big one makes room for several small ones.
    for (let i = 0; i < 5; i += 1) log.append('vm', ev(i));
    expect(log.bytes).toBeLessThanOrEqual(size(1000) * 3);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(log.dropped).toBe(8);
  });

  it('keeps one entry bigger than the whole bound rather than nothing', () => {
    const log = new EventLog(10, 500);
    log.append('vm', ev(0, blob(100)));
    log.append('vm', ev(1, blob(2000)));
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([1]);
    log.append('vm', ev(2));
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([2]);
    expect([log.size, log.dropped]).toEqual([1, 2]);
  });

  it('counts each entry as its data text plus a fixed overhead', () => {
    const log = new EventLog(10);
    expect(accountedBytes(log.append('vm', ev(0)))).toBe(ENTRY_OVERHEAD_BYTES);
    expect(accountedBytes(log.append('vm', ev(1, blob(5))))).toBe(size(5));
    expect(log.bytes).toBe(ENTRY_OVERHEAD_BYTES + size(5));
  });

  it('restores only the newest journal entries that fit the byte bound', () => {
    const loaded = [0, 1, 2, 3].map((seq) => ({ seq, vmId: 'vm', event: 'E', timestamp: { seconds: 0, microseconds: 0 }, receivedAt: 0, dataJson: 'y'.repeat(100) }));
    const log = new EventLog(100, (ENTRY_OVERHEAD_BYTES + 100) * 2);
    log.restore(loaded, 5);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([2, 3]);
    expect([log.dropped, log.bytes]).toEqual([7, (ENTRY_OVERHEAD_BYTES + 100) * 2]);
    expect(log.append('vm', ev(9)).seq).toBe(4);
    expect(log.since(-1).events.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('bounds a page by bytes as well as count, and always returns at least one entry', () => {
    const log = new EventLog(100);
    for (let i = 0; i < 10; i += 1) log.append('vm', ev(i, blob(1000)));
    expect(log.since(-1, 100, { maxBytes: size(1000) * 4 }).events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(log.since(-1, 100, { maxBytes: size(1000) * 4 + 10 }).events).toHaveLength(4);
    expect(log.since(-1, 100, { maxBytes: 1 }).events.map((e) => e.seq)).toEqual([0]);
    expect(log.since(-1, 100, { maxBytes: size(1000) * 2, newest: true }).events.map((e) => e.seq)).toEqual([8, 9]);
    expect(log.since(-1, 2, { maxBytes: 1e9 })).toMatchObject({ held: 10, lastSeq: 9 });
  });

  it('refuses a nonsensical byte bound', () => {
    expect(() => new EventLog(10, 0)).toThrow(/byte bound/);
  });
});
