/** The hand-written entry JSON says exactly what JSON.stringify says, for every kind of entry. */
import { describe, expect, it } from 'vitest';
import { timelineEventJson } from '../../../electron/common/event-json';
import type { TimelineEvent } from '../../../electron/common/models';

const base: TimelineEvent = { seq: 7, vmId: 'vm-1', event: 'STOP', timestamp: { seconds: 1_700_000_000, microseconds: 123_456 }, receivedAt: 1_700_000_000_123 };

const samples: TimelineEvent[] = [
  base,
  { ...base, dataJson: '{"big":18446744073709551615,"s":"a\\"b\\\\c\\n"}' },
  { ...base, dataJson: '', marker: 'command', event: 'stop' },
  { ...base, vmId: '<img src=x onerror=alert(1)> "quoted" \\ </script>', event: 'ÄÖÜ 日本 😀' },
  { ...base, vmId: 'lone \ud800 surrogate', event: 'tab\tand\u0000nul\u2028' },
  { ...base, receivedAt: 1_700_000_000_123.625, timestamp: { seconds: 1e21, microseconds: -0 } },
  { ...base, receivedAt: Number.NaN, timestamp: { seconds: Number.POSITIVE_INFINITY, microseconds: 5e-7 } },
  { ...base, seq: Number.MAX_SAFE_INTEGER, dataJson: '{}', marker: 'share' },
];

describe('timelineEventJson', () => {
  it.each(samples.map((entry, index) => [index, entry] as const))('matches JSON.stringify (sample %i)', (_, entry) => {
    expect(timelineEventJson(entry)).toBe(JSON.stringify(entry));
  });

  it('stays exact once a name is cached, and for many names', () => {
    for (let i = 0; i < 5000; i += 1) {
      const entry = { ...base, seq: i, vmId: `vm-${i % 4500}`, event: i % 2 === 0 ? 'RESUME' : `E"${i}` };
      expect(timelineEventJson(entry)).toBe(JSON.stringify(entry));
    }
  });
});
