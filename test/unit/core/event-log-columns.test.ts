/** The event log's columns: what goes in comes out the same, however full, wrapped or odd. */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../../electron/core/vm/event-log';

describe('EventLog columns', () => {
  it('gives back every field exactly after growing and wrapping the ring', () => {
    const log = new EventLog(3000);
    for (let i = 0; i < 7000; i += 1) {
      if (i % 5 === 0) log.appendMarker(`vm-${i % 7}`, { marker: 'reconnect', event: 'reconnecting', data: { attempt: i } }, 1_700_000_000_000.5 + i);
      else log.append(`vm-${i % 7}`, { event: `E${i % 11}`, timestamp: { seconds: 1_700_000_000 + i, microseconds: i % 1_000_000 }, ...(i % 3 === 0 ? {} : { data: { i, big: 18446744073709551615n } }) }, 1_700_000_000_000 + i);
    }
    const page = log.since(-1);
    expect(page.events).toHaveLength(3000);
    expect(page.events[0]!.seq).toBe(4000);
    for (const entry of page.events) {
      const i = entry.seq;
      if (i % 5 === 0) {
        expect(entry).toEqual({ seq: i, vmId: `vm-${i % 7}`, event: 'reconnecting', timestamp: { seconds: 1_700_000_000 + Math.floor(i / 1000), microseconds: Math.round((0.5 + (i % 1000)) * 1000) }, receivedAt: 1_700_000_000_000.5 + i, dataJson: `{"attempt":${i}}`, marker: 'reconnect' });
      } else {
        const expected = { seq: i, vmId: `vm-${i % 7}`, event: `E${i % 11}`, timestamp: { seconds: 1_700_000_000 + i, microseconds: i % 1_000_000 }, receivedAt: 1_700_000_000_000 + i };
        expect(entry).toStrictEqual(i % 3 === 0 ? expected : { ...expected, dataJson: `{"i":${i},"big":18446744073709551615}` });
      }
    }
  });

  it('keeps names beyond its name table, per entry, and lets them go with the entry', () => {
    const log = new EventLog(200_000);
    for (let i = 0; i < 100_010; i += 1) log.append('vm', { event: `INVENTED_${i}`, timestamp: { seconds: 1, microseconds: 2 } }, 3);
    const tail = log.since(100_000 - 5).events.map((entry) => entry.event);
    expect(tail).toEqual([...Array(14).keys()].map((k) => `INVENTED_${100_000 - 4 + k}`));
  });

  it('keeps QMP timestamps that are not integers as sent', () => {
    const log = new EventLog(4);
    log.append('vm', { event: 'X', timestamp: { seconds: 1.5, microseconds: -1 } }, 0.25);
    expect(log.since(-1).events[0]).toMatchObject({ timestamp: { seconds: 1.5, microseconds: -1 }, receivedAt: 0.25 });
  });
});
