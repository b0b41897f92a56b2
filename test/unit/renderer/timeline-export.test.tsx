// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJsonLossless, stringifyJsonLossless } from '../../../electron/common/json-text';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventBuffer } from '../../../renderer/src/state/event-buffer';
import { EventFilterRunner, NO_FILTER } from '../../../renderer/src/features/timeline/timeline-filter';
import { TimelineIndex } from '../../../renderer/src/features/timeline/timeline-index';
import { csvField, toCsv, toJsonLines } from '../../../renderer/src/features/timeline/timeline-export';

const MAX_U64 = '18446744073709551615';

const events: TimelineEvent[] = [
  { seq: 3, vmId: 'a', event: 'STOP', timestamp: { seconds: 1_733_140_987, microseconds: 5 }, receivedAt: 1_733_140_987_010 },
  {
    seq: 4,
    vmId: 'b',
    event: 'BLOCK_JOB_COMPLETED',
    timestamp: { seconds: 1_733_140_988, microseconds: 999_999 },
    receivedAt: 1_733_140_989_000,
    dataJson: `{"device":"drive0","len":${MAX_U64},"offset":9007199254740993,"type":"mirror","note":"a \\"quoted\\", comma\\nline"}`,
  },
  { seq: 9, vmId: 'a', event: 'command', marker: 'command', timestamp: { seconds: 1_733_140_990, microseconds: 0 }, receivedAt: 1_733_140_990_001, dataJson: '{"command":"stop","outcome":"ok"}' },
];
const names: Record<string, string> = { a: '<img src=x onerror=alert(1)>', b: 'vm "two", with comma' };
const vmName = (id: string) => names[id] ?? id;

function shown() {
  const buffer = new EventBuffer();
  buffer.append(events);
  return new EventFilterRunner(new TimelineIndex()).update(buffer.window, NO_FILTER);
}

describe('JSON Lines export', () => {
  it('reads back as the same events: seq, VM, event, timestamp and data exact (2^64-1 included)', () => {
    const text = toJsonLines(shown(), vmName).join('');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(events.length);
    const back = lines.map((line) => parseJsonLossless(line));
    back.forEach((record, index) => {
      const original = events[index]!;
      if (!isJsonObject(record)) throw new Error('not an object');
      expect(record['seq']).toBe(original.seq);
      expect(record['vmId']).toBe(original.vmId);
      expect(record['vm']).toBe(vmName(original.vmId));
      expect(record['event']).toBe(original.event);
      expect(record['timestamp']).toEqual(original.timestamp);
      expect(record['receivedAt']).toBe(original.receivedAt);
      expect(record['marker']).toBe(original.marker);
      if (original.dataJson === undefined) expect('data' in record).toBe(false);
      else expect(stringifyJsonLossless(record['data']!)).toBe(stringifyJsonLossless(parseJsonLossless(original.dataJson)));
    });
    const data = (back[1] as Record<string, unknown>)['data'] as Record<string, unknown>;
    expect(data['len']).toBe(BigInt(MAX_U64));
    expect(data['offset']).toBe(9007199254740993n);
    // QEMU's members first, in QEMU's order, and the data text exactly as received.
    expect(lines[1]!.startsWith(`{"timestamp":{"seconds":1733140988,"microseconds":999999},"event":"BLOCK_JOB_COMPLETED","data":${events[1]!.dataJson}`)).toBe(true);
  });

  it('exports only what the filter lets through, in chunks that join to the whole', () => {
    const buffer = new EventBuffer();
    const many = Array.from({ length: 25_003 }, (_, seq): TimelineEvent => ({ seq, vmId: seq % 2 ? 'a' : 'b', event: 'STOP', timestamp: { seconds: seq, microseconds: 0 }, receivedAt: seq }));
    buffer.append(many);
    const filtered = new EventFilterRunner(new TimelineIndex()).update(buffer.window, { ...NO_FILTER, vmIds: new Set(['a']) });
    const chunks = toJsonLines(filtered, vmName);
    expect(chunks.length).toBeGreaterThan(1);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(12_501);
    expect(lines.every((line) => line.includes('"vmId":"a"'))).toBe(true);
  });
});

describe('CSV export', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const text = toCsv(shown(), vmName).join('');
    const rows = text.split('\r\n');
    expect(rows[0]).toBe('seq,time,vm,event,kind,summary,data');
    expect(rows).toHaveLength(events.length + 2);
    expect(rows[1]).toMatch(/^3,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000,<img src=x onerror=alert\(1\)>,STOP,run state,STOP,$/);
    expect(rows[2]).toContain(',"vm ""two"", with comma",BLOCK_JOB_COMPLETED,job,');
    expect(rows[2]).toContain(`"${events[1]!.dataJson!.replace(/"/g, '""')}"`);
    expect(rows[3]).toContain(',command,app,stop → ok,');
  });
});
