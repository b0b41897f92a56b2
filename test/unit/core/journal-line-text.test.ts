/** A journal line reads back as exactly the entry written, for every kind of entry, and lines of the older form still read. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { journalLine, readJournalLine } from '../../../electron/core/journal/line-text';

const base: TimelineEvent = { seq: 7, vmId: 'vm-1', event: 'STOP', timestamp: { seconds: 1_700_000_000, microseconds: 123_456 }, receivedAt: 1_700_000_000_123 };

const samples: TimelineEvent[] = [
  base,
  { ...base, dataJson: '{"big":18446744073709551615,"s":"a\\"b\\\\c\\n","nested":{"data":1},"x":",\\"data\\":"}' },
  { ...base, dataJson: '{"device": "drive0", "len": 18446744073709551615}' },
  { ...base, dataJson: '', marker: 'command', event: 'stop' },
  { ...base, dataJson: '[1,2]' },
  { ...base, dataJson: '{"a":\n1}' },
  { ...base, dataJson: '{}', marker: 'reconnect' },
  { ...base, vmId: '<img src=x onerror=alert(1)> "quoted" \\ </script>', event: 'ÄÖÜ 日本 😀', dataJson: '{"a":1}' },
  { ...base, vmId: 'x,"data":{"y":1}', event: ',"data":', dataJson: '{"a":1}' },
  { ...base, vmId: 'lone \ud800 surrogate', event: 'tab\tand\u0000nul\u2028' },
  { ...base, receivedAt: 1_700_000_000_123.625, timestamp: { seconds: 1e21, microseconds: 0 } },
  { ...base, seq: Number.MAX_SAFE_INTEGER, dataJson: '{}', marker: 'share' },
];

describe('journal lines', () => {
  it.each(samples.map((entry, index) => [index, entry] as const))('read back as the entry written (sample %i)', (_, entry) => {
    const line = journalLine(entry);
    expect(line).not.toContain('\n');
    expect(readJournalLine(line)).toEqual(entry);
  });

  it('keep an object data text as it is, not escaped, and anything else as JSON.stringify writes the entry', () => {
    const data = '{"device": "drive0", "len": 18446744073709551615}';
    expect(journalLine({ ...base, dataJson: data, marker: 'command' })).toBe(`${JSON.stringify({ ...base, marker: 'command' }).slice(0, -1)},"data":${data}}`);
    for (const entry of [base, samples[3]!, samples[4]!, samples[5]!]) expect(journalLine(entry)).toBe(JSON.stringify(entry));
  });

  it('read lines of the older form (every entry as JSON.stringify wrote it)', () => {
    for (const entry of samples) expect(readJournalLine(JSON.stringify(entry))).toEqual(entry);
  });

  it('read back any entry with an object data text', () => {
    const entries = fc.record(
      {
        seq: fc.nat(),
        vmId: fc.string({ unit: 'binary' }),
        event: fc.string({ unit: 'binary' }),
        seconds: fc.nat(),
        microseconds: fc.nat({ max: 999_999 }),
        receivedAt: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n + 0),
        data: fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }).map((value) => JSON.stringify(value)),
        marker: fc.constantFrom('connected', 'disconnected', 'reconnect', 'command', 'share'),
      },
      { requiredKeys: ['seq', 'vmId', 'event', 'seconds', 'microseconds', 'receivedAt'] },
    );
    fc.assert(
      fc.property(entries, ({ seconds, microseconds, data, ...rest }) => {
        const entry = { ...rest, timestamp: { seconds, microseconds }, ...(data === undefined ? {} : { dataJson: data }) } as TimelineEvent;
        expect(readJournalLine(journalLine(entry))).toEqual(entry);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['a torn line', `${journalLine({ ...base, dataJson: '{"a":1}' }).slice(0, -3)}`],
    ['data that is not JSON', `${JSON.stringify(base).slice(0, -1)},"data":{"a":}}`],
    ['data that is no object', `${JSON.stringify(base).slice(0, -1)},"data":[1]}`],
    ['data given twice', `${JSON.stringify({ ...base, dataJson: '{}' }).slice(0, -1)},"data":{}}`],
    ['a head that is no entry', '{"seq":"x","data":{}}'],
    ['an unknown member', `${JSON.stringify({ ...base, html: '<img src=x>' })}`],
    ['garbage', 'not json at all'],
  ])('refuse %s', (_, line) => {
    expect(readJournalLine(line)).toBeUndefined();
  });
});
