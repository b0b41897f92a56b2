/**
 * The bridge's compact frames read back as exactly the entries that were written, for any
 * entries, and anything else is refused whole with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedCompactEvents, encodeCompactEvents, parseEventFrame, readBridgeMessage, withEventsRead } from '../../../electron/common/compact-events';
import type { TimelineEvent } from '../../../electron/common/models';

/** The frame of an `events` push of `events`, as the bridge writes it (a copy: the encoder reuses its buffer). */
function frame(events: readonly TimelineEvent[], rest: Record<string, unknown> = {}): Uint8Array {
  const compact = encodeCompactEvents(events);
  const pieces: string[] = [];
  compact.writeJson((piece) => pieces.push(piece));
  const json = Buffer.from(`{"t":"push","channel":"events","payload":{"eventColumns":${pieces.join('')}${JSON.stringify(rest).slice(1, -1) === '' ? '' : `,${JSON.stringify(rest).slice(1, -1)}`}}}`);
  return new Uint8Array(Buffer.concat([compact.numbers, json]));
}

/** The entries a frame reads back as. */
function read(bytes: Uint8Array): unknown {
  return (readBridgeMessage(bytes, true).payload as { events: unknown }).events;
}

const markers = ['connected', 'disconnected', 'reconnect', 'command', 'share'] as const;

/** Entries as the core makes them: seq rising, any names and data texts (lone surrogates too), members present or not. */
const entries = fc
  .array(
    fc.record(
      {
        step: fc.integer({ min: 1, max: 1_000_000 }),
        vmId: fc.oneof(fc.constantFrom('vm-1', 'vm-2', '<img src=x onerror=alert(1)>'), fc.string({ unit: 'binary' })),
        event: fc.oneof(fc.constantFrom('STOP', 'RESUME', 'BLOCK_JOB_COMPLETED'), fc.string({ unit: 'grapheme' })),
        // Integers read back as small integers where they fit 32 bits: the edges of that, -0 and fractions too.
        seconds: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.double(), fc.constantFrom(-0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1)),
        microseconds: fc.oneof(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(-0, 0.5, -1)),
        receivedAt: fc.double(),
        dataJson: fc.oneof(fc.constant('{"len":18446744073709551615,"s":"a\\"b"}'), fc.constant(''), fc.string({ unit: 'binary' }), fc.constant('\ud800')),
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
  it('read back as exactly the entries written (every double, every text), members absent where they were', () => {
    fc.assert(
      fc.property(entries, (events) => {
        const back = read(frame(events)) as TimelineEvent[];
        expect(back).toEqual(events);
        back.forEach((entry, i) => {
          expect(Object.keys(entry).sort()).toEqual(Object.keys(events[i]!).sort());
          expect(Object.is(entry.receivedAt, events[i]!.receivedAt)).toBe(true);
          expect(Object.is(entry.seq, events[i]!.seq)).toBe(true);
          expect(Object.is(entry.timestamp.seconds, events[i]!.timestamp.seconds)).toBe(true);
          expect(Object.is(entry.timestamp.microseconds, events[i]!.timestamp.microseconds)).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('keep the message around the entries, and read from a Buffer that starts anywhere in its pool', () => {
    const entry: TimelineEvent = { seq: 3, vmId: 'v', event: 'E', timestamp: { seconds: Number.POSITIVE_INFINITY, microseconds: 1 }, receivedAt: 5, dataJson: '{"a":1}' };
    const bytes = frame([entry], { afterSeq: 2, lastSeq: 3 });
    const unaligned = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    expect(unaligned.byteOffset % 8).not.toBe(0);
    expect(readBridgeMessage(unaligned, true)).toEqual({ t: 'push', channel: 'events', payload: { events: [entry], afterSeq: 2, lastSeq: 3 } });
  });

  it('name each VM id and event name once, and write the data texts in pieces of 1,024 entries', () => {
    const events: TimelineEvent[] = Array.from({ length: 5000 }, (_, seq) => ({
      seq,
      vmId: `vm-${seq % 3}`,
      event: seq % 2 === 0 ? 'STOP' : 'RESUME',
      timestamp: { seconds: 1_700_000_000, microseconds: seq },
      receivedAt: 1_700_000_000_000 + seq,
      dataJson: `{"n":${seq}}`,
    }));
    const pieces: string[] = [];
    encodeCompactEvents(events).writeJson((piece) => pieces.push(piece));
    const json = JSON.parse(pieces.join('')) as { names: string[]; data: string[] };
    expect(json.names.sort()).toEqual(['RESUME', 'STOP', 'vm-0', 'vm-1', 'vm-2']);
    expect(json.data).toHaveLength(5);
    expect(json.data[0]).toBe(events.slice(0, 1024).map((e) => e.dataJson).join(''));
  });

  /** A frame of one entry with one 32-bit word of its columns (0: vm, 1: event, 2: marker, 3: data length) set to `value`. */
  const tampered = (column: number, value: number): Uint8Array => {
    const bytes = frame([{ seq: 1, vmId: 'v', event: 'STOP', timestamp: { seconds: 1, microseconds: 2 }, receivedAt: 3, dataJson: '{}', marker: 'command' }]);
    new DataView(bytes.buffer, bytes.byteOffset).setInt32(8 + 32 + 4 * column, value, true);
    return bytes;
  };
  const good = frame([{ seq: 1, vmId: 'v', event: 'STOP', timestamp: { seconds: 1, microseconds: 2 }, receivedAt: 3 }]);
  const withJson = (json: string | Buffer): Uint8Array => new Uint8Array(Buffer.concat([good.subarray(0, 8 + 48), typeof json === 'string' ? Buffer.from(json) : json]));
  it.each<[string, Uint8Array, RegExp]>([
    ['a frame shorter than its prefix', new Uint8Array(5), /shorter than its prefix/],
    ['another byte order', new Uint8Array([1, 0, 0, 0, 1, 2, 3, 4]), /another byte order/],
    ['a count the frame has no room for', new Uint8Array(Buffer.concat([Buffer.from([9, 0, 0, 0, 4, 3, 2, 1]), Buffer.alloc(40)])), /too short for 9 entries/],
    ['a message that is not JSON', withJson('{"payload":'), /not JSON/],
    ['a message that is not UTF-8', withJson(Buffer.concat([Buffer.from('{"payload":"'), Buffer.from([0xff]), Buffer.from('"}')])), /not JSON/],
    ['a message without entries', withJson('{"payload":{"events":[]}}'), /holds no "eventColumns"/],
    ['names that are no texts', withJson('{"payload":{"eventColumns":{"names":[1],"data":[]}}}'), /"names" is not a list of texts/],
    ['an index beyond the names', tampered(0, 9), /"vm" names no string/],
    ['a negative index', tampered(1, -1), /"event" names no string/],
    ['a marker the app has not', tampered(2, 6), /"marker" holds neither/],
    ['a data length past the data', tampered(3, 3), /runs past "data"/],
    ['data the entries do not use', tampered(3, 1), /more than the entries use/],
  ])('refuse %s', (_, bytes, reason) => {
    expect(read(good)).toHaveLength(1);
    expect(() => read(bytes)).toThrow(MalformedCompactEvents);
    expect(() => read(bytes)).toThrow(reason);
  });

  it('refuse columns that came in a text message (JSON cannot carry them)', () => {
    const message = parseEventFrame(good) as { payload: { eventColumns: Record<string, unknown> } };
    const asText = JSON.parse(JSON.stringify(message)) as typeof message;
    expect(() => withEventsRead(message.payload)).not.toThrow();
    expect(() => withEventsRead(asText.payload)).toThrow(/no columns came with them/);
  });
});
