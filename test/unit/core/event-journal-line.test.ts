/** The journal's fast line check accepts exactly what TimelineEventSchema accepts. */
import { describe, expect, it } from 'vitest';
import { TimelineEventSchema } from '../../../electron/common/models';
import { asTimelineEvent } from '../../../electron/core/journal/journal-line';

const good = { seq: 3, vmId: 'vm', event: 'STOP', timestamp: { seconds: 1, microseconds: 2 }, receivedAt: 4 };
const samples: unknown[] = [
  good,
  { ...good, dataJson: '{"a":1}' },
  { ...good, marker: 'command' },
  { ...good, marker: 'reconnect', dataJson: '{}' },
  { ...good, marker: 'other' },
  { ...good, seq: -1 },
  { ...good, seq: 1.5 },
  { ...good, seq: '3' },
  { ...good, vmId: 5 },
  { ...good, event: null },
  { ...good, timestamp: { seconds: 1 } },
  { ...good, timestamp: [1, 2] },
  { ...good, timestamp: null },
  { ...good, receivedAt: '4' },
  { ...good, receivedAt: Number.NaN },
  { ...good, dataJson: { a: 1 } },
  { seq: 1 },
  null,
  [good],
  'STOP',
  7,
];

describe('asTimelineEvent', () => {
  it('agrees with TimelineEventSchema on valid and invalid lines', () => {
    for (const sample of samples) {
      expect([sample, asTimelineEvent(sample) !== undefined]).toEqual([sample, TimelineEventSchema.safeParse(sample).success]);
    }
  });

  it('keeps the parsed object and refuses unknown members rather than carrying them to the UI', () => {
    expect(asTimelineEvent(good)).toBe(good);
    expect(asTimelineEvent({ ...good, html: '<img src=x onerror=alert(1)>' })).toBeUndefined();
    expect(asTimelineEvent({ ...good, timestamp: { seconds: 1, microseconds: 2, extra: 3 } })).toBeUndefined();
  });
});
