import { describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventBuffer } from '../../../renderer/src/state/event-buffer';
import { NO_FILTER, type TimelineFilter } from '../../../renderer/src/features/timeline/timeline-filter';
import { TimelineIndex } from '../../../renderer/src/features/timeline/timeline-index';
import { TimelineModel } from '../../../renderer/src/features/timeline/timeline-model';
import { PositionList } from '../../../renderer/src/features/timeline/position-list';

function ev(seq: number, overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return { seq, vmId: `vm${seq % 3}`, event: seq % 2 ? 'STOP' : 'RESUME', timestamp: { seconds: 1_700_000_000, microseconds: seq }, receivedAt: 1_700_000_000_000 + seq, dataJson: `{"n":${seq}}`, ...overrides };
}

const seqsOf = (shown: { length: number; at(i: number): TimelineEvent | undefined }) => Array.from({ length: shown.length }, (_, i) => shown.at(i)!.seq);

describe('TimelineIndex.prepareSearch', () => {
  it('builds the search text of every full block ahead, so a later search reads only the newest events', () => {
    const buffer = new EventBuffer(10_000);
    buffer.append(Array.from({ length: 5_000 }, (_, i) => ev(i)));
    const index = new TimelineIndex();
    index.sync(buffer.window);
    let slices = 0;
    while (index.prepareSearch(() => slices++ % 2 === 0)); // one block per call, as idle slices do
    expect(slices).toBeGreaterThan(4);
    const read = vi.fn((position: number) => buffer.window.atPosition(position));
    const found: number[] = [];
    index.searchRange(0, 5_000, '"n":4321}', read, (position) => found.push(position));
    expect(found).toEqual([4321]);
    // 5,000 = four full blocks of 1,024 built ahead + the 904 of the newest, still filling.
    expect(read).toHaveBeenCalledTimes(5_000 - 4 * 1_024);
  });

  it('finds the same events after drops and with dense matches as a search that builds as it goes', () => {
    const buffer = new EventBuffer(3_000);
    buffer.append(Array.from({ length: 2_500 }, (_, i) => ev(i)));
    const prepared = new TimelineIndex();
    prepared.sync(buffer.window);
    while (prepared.prepareSearch(() => true));
    buffer.append(Array.from({ length: 2_000 }, (_, i) => ev(2_500 + i)));
    prepared.sync(buffer.window);
    while (prepared.prepareSearch(() => true));
    const fresh = new TimelineIndex();
    fresh.sync(buffer.window);
    const { window } = buffer;
    const search = (index: TimelineIndex, needle: string) => {
      const found: number[] = [];
      index.searchRange(window.start, window.start + window.length, needle, (position) => window.atPosition(position), (position) => found.push(position));
      return found;
    };
    for (const needle of ['stop', '"n":', '9}', 'resume {"n":1']) {
      const expected = window.toArray().flatMap((event, i) => (`${event.event} ${event.dataJson}`.toLowerCase().includes(needle) ? [window.start + i] : []));
      expect(search(prepared, needle)).toEqual(expected);
      expect(search(fresh, needle)).toEqual(expected);
    }
  });
});

describe('TimelineModel.filtered', () => {
  it('keeps the results of recent filters by content, so a new object for the same filter, or going back, rescans nothing', () => {
    const buffer = new EventBuffer(10_000);
    buffer.append(Array.from({ length: 3_000 }, (_, i) => ev(i)));
    const model = new TimelineModel();
    const scan = vi.spyOn(model.index, 'scan');
    const search = vi.spyOn(model.index, 'searchRange');
    const hidden: TimelineFilter = { ...NO_FILTER, showMarkers: false };
    expect(model.filtered(buffer.window, hidden).length).toBe(3_000);
    expect(seqsOf(model.filtered(buffer.window, { ...hidden, text: '"N":42}' }))).toEqual([42]);
    const scans = scan.mock.calls.length;
    const searches = search.mock.calls.length;
    // The same filters as new objects (what the view makes per render), and back to the first.
    expect(seqsOf(model.filtered(buffer.window, { ...hidden, text: ' "n":42} ' }))).toEqual([42]);
    expect(model.filtered(buffer.window, { ...hidden, names: new Set() }).length).toBe(3_000);
    expect(search.mock.calls.length).toBe(searches);
    // Only what arrived since is scanned, and the kept results include it.
    buffer.append([ev(3_000)]);
    expect(model.filtered(buffer.window, { ...NO_FILTER, showMarkers: false }).length).toBe(3_001);
    expect(scan.mock.calls.length).toBe(scans + 1);
    expect(scan.mock.calls.at(-1)!.slice(0, 2)).toEqual([3_000, 3_001]);
  });
});

describe('PositionList', () => {
  it('grows past its first storage, and a snapshot taken before stays as it was', () => {
    const list = new PositionList();
    for (let position = 0; position < 1_500; position++) list.push(position * 2);
    const before = list.data;
    for (let position = 1_500; position < 5_000; position++) list.push(position * 2);
    expect(list.length).toBe(5_000);
    expect(list.data[4_999]).toBe(9_998);
    expect(Array.from(before.subarray(0, 1_500))).toEqual(Array.from({ length: 1_500 }, (_, i) => i * 2));
    list.dropFront(4_000);
    expect(list.length).toBe(1_000);
    expect(list.data[0]).toBe(8_000);
    list.push(2 ** 40);
    expect(list.data[1_000]).toBe(2 ** 40);
  });
});
