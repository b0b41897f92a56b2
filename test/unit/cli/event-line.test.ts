import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../../electron/cli/event-line';
import { parseJsonLossless } from '../../../electron/common/json-text';
import type { QmpEvent } from '../../../electron/core/qmp/types';

const wire = '{"timestamp": {"seconds": 1700000000, "microseconds": 12}, "event": "BLOCK_JOB_COMPLETED", "data": {"len": 12345678901234567890, "device": "j"}}';
const event = parseJsonLossless(wire) as unknown as QmpEvent;

describe('formatEvent', () => {
  it('prints one target\'s event exactly as QEMU sent it, big integers included', () => {
    expect(formatEvent(event, undefined, false)).toBe('{"timestamp":{"seconds":1700000000,"microseconds":12},"event":"BLOCK_JOB_COMPLETED","data":{"len":12345678901234567890,"device":"j"}}');
  });

  it('names the target first, keeping QEMU\'s members in order', () => {
    expect(formatEvent(event, 'unix:/tmp/a.sock', false)).toBe(
      '{"target":"unix:/tmp/a.sock","timestamp":{"seconds":1700000000,"microseconds":12},"event":"BLOCK_JOB_COMPLETED","data":{"len":12345678901234567890,"device":"j"}}',
    );
  });

  it('indents over several lines with pretty, losslessly', () => {
    const text = formatEvent(event, 'h:1', true);
    expect(text.split('\n')).toHaveLength(12);
    expect(text).toContain('\n  "target": "h:1",\n  "timestamp": {\n    "seconds": 1700000000,');
    expect(text).toContain('"len": 12345678901234567890');
  });

  it('lets its own target win over one a peer put in the event', () => {
    const odd = parseJsonLossless('{"event": "X", "target": "spoof", "timestamp": {"seconds": 1, "microseconds": 2}}') as unknown as QmpEvent;
    expect(formatEvent(odd, 'h:1', false)).toBe('{"target":"h:1","event":"X","timestamp":{"seconds":1,"microseconds":2}}');
  });
});

describe('formatEventHuman (events --human)', () => {
  it('prints local time with microseconds, the target when several, the name, then the data', async () => {
    const { formatEventHuman, localTimeWithMicroseconds } = await import('../../../electron/cli/event-line');
    const seconds = 1_764_000_000;
    const d = new Date(seconds * 1000);
    const p = (n: number): string => String(n).padStart(2, '0');
    const local = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    expect(localTimeWithMicroseconds(seconds, 42)).toBe(`${local}.000042`);
    expect(formatEventHuman({ event: 'STOP', timestamp: { seconds, microseconds: 123456 } }, undefined)).toBe(`${local}.123456 STOP`);
    expect(formatEventHuman({ event: 'X', timestamp: { seconds, microseconds: 7 }, data: { n: 12345678901234567890n } }, 'unix:/a')).toBe(
      `${local}.000007 unix:/a X {"n":12345678901234567890}`,
    );
  });
});
