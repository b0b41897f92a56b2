/**
 * The bridge's compact entries read back as the entries that were written, for any entries, and
 * anything else is refused whole with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedCompactEvents, readCompactEvents, writeCompactEvents } from '../../../electron/common/compact-events';
import type { TimelineEvent } from '../../../electron/common/models';

/** The JSON text {@link writeCompactEvents} writes for `events`, parsed. */
function written(events: readonly TimelineEvent[]): unknown {
  const pieces: string[] = [];
  writeCompactEvents(events, (piece) => pieces.push(piece));
  return JSON.parse(pieces.join(''));
}

const markers = ['connected', 'disconnected', 'reconnect', 'command', 'share'] as const;

/** Entries as the core makes them: seq rising, any names and data texts, members present or not. */
const entries = fc
  .array(
    fc.record(
      {
        step: fc.integer({ min: 1, max: 1_000_000 }),
        vmId: fc.oneof(fc.constantFrom('vm-1', 'vm-2', '<img src=x onerror=alert(1)>'), fc.string({ unit: 'binary' })),
        event: fc.oneof(fc.constantFrom('STOP', 'RESUME', 'BLOCK_JOB_COMPLETED'), fc.string({ unit: 'grapheme' })),
        seconds: fc.integer({ min: 0, max: 2 ** 40 }),
        microseconds: fc.integer({ min: 0, max: 999_999 }),
        receivedAt: fc.double({ noNaN: true, noDefaultInfinity: true }),
        dataJson: fc.oneof(fc.constant('{"len":18446744073709551615,"s":"a\\"b"}'), fc.string({ unit: 'binary' })),
        marker: fc.constantFrom(...markers),
      },
      { requiredKeys: ['step', 'vmId', 'event', 'seconds', 'microseconds', 'receivedAt'] },
    ),
    { maxLength: 3000 },
  )
  .map((rows) => {
    let seq = -1;
    return rows.map(({ step, seconds, microseconds, ...rest }): TimelineEvent => {
      seq += step;
      return { seq, ...rest, timestamp: { seconds, microseconds } } as TimelineEvent;
    });
  });

describe('compact events', () => {
  it('read back as the entries written, as JSON would carry them, members absent where they were', () => {
    fc.assert(
      fc.property(entries, (events) => {
        const read = readCompactEvents(written(events));
        // What the entries were as JSON objects (-0 reads back as 0 there too).
        expect(read).toEqual(JSON.parse(JSON.stringify(events)));
        read.forEach((entry, i) => expect(Object.keys(entry).sort()).toEqual(Object.keys(events[i]!).sort()));
      }),
      { numRuns: 60 },
    );
  });

  it('name each VM id and event name once, and write a long list in pieces of whole JSON', () => {
    const events: TimelineEvent[] = Array.from({ length: 5000 }, (_, seq) => ({
      seq,
      vmId: `vm-${seq % 3}`,
      event: seq % 2 === 0 ? 'STOP' : 'RESUME',
      timestamp: { seconds: 1_700_000_000, microseconds: seq },
      receivedAt: 1_700_000_000_000 + seq,
    }));
    const pieces: string[] = [];
    writeCompactEvents(events, (piece) => pieces.push(piece));
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(64 * 1024);
    expect((JSON.parse(pieces.join('')) as { names: string[] }).names.sort()).toEqual(['RESUME', 'STOP', 'vm-0', 'vm-1', 'vm-2']);
  });

  it('read a non-finite number, which JSON writes as null, as NaN', () => {
    const entry: TimelineEvent = { seq: 3, vmId: 'v', event: 'E', timestamp: { seconds: Number.POSITIVE_INFINITY, microseconds: 1 }, receivedAt: 5 };
    expect(readCompactEvents(written([entry]))[0]!.timestamp.seconds).toBeNaN();
  });

  const good = written([
    { seq: 1, vmId: 'v', event: 'STOP', timestamp: { seconds: 1, microseconds: 2 }, receivedAt: 3, dataJson: '{}', marker: 'command' },
  ]) as Record<string, unknown>;
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no object', null as unknown as Record<string, unknown>, /not an object/],
    ['a missing column', { ...good, receivedAt: undefined }, /"receivedAt" is not an array/],
    ['columns of other lengths', { ...good, vm: [0, 0] }, /"vm" holds 2 entries/],
    ['an index beyond the names', { ...good, event: [9] }, /"event" names no string/],
    ['an index that is no integer', { ...good, vm: [0.5] }, /"vm" names no string/],
    ['a text for a number', { ...good, seconds: ['1'] }, /"seconds" holds a non-number/],
    ['data that is no text', { ...good, data: [{}] }, /"data" holds neither/],
    ['a marker the app has not', { ...good, marker: ['evil'] }, /"marker" holds neither/],
  ])('refuse %s', (_, value, reason) => {
    expect(readCompactEvents(good)).toHaveLength(1);
    expect(() => readCompactEvents(value)).toThrow(MalformedCompactEvents);
    expect(() => readCompactEvents(value)).toThrow(reason);
  });
});
