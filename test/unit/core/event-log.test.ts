import { describe, expect, it } from 'vitest';
import { EventLog } from '../../../electron/core/vm/event-log';

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
});
