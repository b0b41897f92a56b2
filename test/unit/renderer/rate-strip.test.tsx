// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_KINDS, KIND_INDEX } from '../../../renderer/src/features/timeline/event-kinds';
import { clockLabel } from '../../../renderer/src/lib/clock-label';
import {
  RateStrip,
  addToRateCounts,
  createRateCounts,
  describeSpan,
  rateLabel,
  rateSummary,
  stripModel,
  type TimeRange,
} from '../../../renderer/src/features/timeline/rate-strip';
import { SecondCounts, bucketRates, bucketSecondsFor, peakRate, stackRates } from '../../../renderer/src/lib/rate-buckets';

const NOW_S = 1_780_000_000; // a whole second, epoch s
const NOW_MS = NOW_S * 1000 + 400;

/** A QMP-shaped timeline event arriving at `receivedAt` ms. */
function event(name: string, receivedAt: number, marker?: 'command') {
  return { seq: 0, vmId: 'vm1', event: name, timestamp: { seconds: Math.floor(receivedAt / 1000), microseconds: 0 }, receivedAt, ...(marker ? { marker } : {}) };
}

describe('rate buckets', () => {
  it('picks 1 s buckets up to 10 minutes, 10 s up to 2 hours, 60 s beyond', () => {
    expect(bucketSecondsFor(60)).toBe(1);
    expect(bucketSecondsFor(600)).toBe(1);
    expect(bucketSecondsFor(601)).toBe(10);
    expect(bucketSecondsFor(7200)).toBe(10);
    expect(bucketSecondsFor(7201)).toBe(60);
  });

  it('sums seconds into aligned buckets as events per second', () => {
    const counts = new SecondCounts(2);
    counts.add(100, 0, 10); // bucket 100..109
    counts.add(109, 1, 20);
    counts.add(110, 0, 5); // bucket 110..119
    const buckets = bucketRates(counts, 2, 103, 115, 10);
    expect([...buckets.starts]).toEqual([100, 110]);
    expect([...(buckets.rates[0] ?? [])]).toEqual([1, 0.5]);
    expect([...(buckets.rates[1] ?? [])]).toEqual([2, 0]);
  });

  it('stacks series bottom-up so the last layer is the total, and finds the peak', () => {
    const stacked = stackRates([Float64Array.from([1, 0, 3]), Float64Array.from([2, 5, 0])]);
    expect(stacked.map((layer) => [...layer])).toEqual([
      [1, 0, 3],
      [3, 5, 3],
    ]);
    expect(peakRate(stacked)).toBe(5);
    expect(peakRate([])).toBe(0);
  });

  it('keeps only the newest window of seconds and ignores bad input', () => {
    const counts = new SecondCounts(1, 100);
    for (let second = 0; second < 1000; second++) counts.add(second, 0);
    expect(counts.get(999)?.[0]).toBe(1);
    expect(counts.get(100)).toBeUndefined();
    counts.add(10, 0); // far older than the window: not counted
    expect(counts.get(10)).toBeUndefined();
    const before = counts.revision;
    counts.add(999, 5);
    counts.add(Number.NaN, 0);
    expect(counts.revision).toBe(before);
    counts.clear();
    expect(counts.newestSecond).toBeUndefined();
  });

  it('counts a batch by arrival second and kind, without rescanning what it held', () => {
    const counts = createRateCounts();
    addToRateCounts(counts, [event('STOP', NOW_MS - 100), event('RESUME', NOW_MS - 50), event('BLOCK_JOB_COMPLETED', NOW_MS - 20), event('stop', NOW_MS, 'command')]);
    const row = counts.get(NOW_S);
    expect(row?.[KIND_INDEX['run-state']]).toBe(2);
    expect(row?.[KIND_INDEX.job]).toBe(1);
    expect(row?.[KIND_INDEX.marker]).toBe(1);
    // 20,000 events in one second cost one row, not 20,000 entries.
    addToRateCounts(counts, Array.from({ length: 20_000 }, (_, i) => event('DEVICE_DELETED', (NOW_S - 5) * 1000 + (i % 1000))));
    expect(counts.get(NOW_S - 5)?.[KIND_INDEX.device]).toBe(20_000);
  });
});

describe('strip model and text', () => {
  it('covers the span ending now, layers from the top (total) down, and totals by kind', () => {
    const counts = createRateCounts();
    addToRateCounts(counts, [event('STOP', NOW_MS), event('STOP', NOW_MS), event('DEVICE_DELETED', NOW_MS - 2000)]);
    const model = stripModel(counts, 10 * 60_000, NOW_MS);
    expect(model.bucketSeconds).toBe(1);
    expect(model.toSecond).toBe(NOW_S);
    expect(model.toSecond - model.fromSecond + 1).toBe(600);
    expect(model.data).toHaveLength(EVENT_KINDS.length + 1);
    const xs = model.data[0];
    expect(xs[xs.length - 1]).toBe(NOW_S);
    const top = model.data[1] ?? []; // all kinds stacked
    const bottom = model.data[EVENT_KINDS.length] ?? []; // run-state alone
    expect(top[top.length - 1]).toBe(2);
    expect(bottom[bottom.length - 1]).toBe(2);
    expect(top[top.length - 3]).toBe(1);
    expect(bottom[bottom.length - 3]).toBe(0);
    expect(model.peak).toBe(2);
    expect(model.totals[KIND_INDEX['run-state']]).toBe(2);
    expect(model.totals[KIND_INDEX.device]).toBe(1);
  });

  it('uses 10 s buckets for an hour and still reads per second', () => {
    const counts = createRateCounts();
    for (let i = 0; i < 50; i++) counts.add(NOW_S - 3, KIND_INDEX.block);
    const model = stripModel(counts, 3_600_000, NOW_MS);
    expect(model.bucketSeconds).toBe(10);
    expect(model.peak).toBe(5);
    expect(model.totals[KIND_INDEX.block]).toBe(50);
  });

  it('names the strip and summarises it in words', () => {
    expect(describeSpan(600_000)).toBe('10 minutes');
    expect(describeSpan(3_600_000)).toBe('1 hour');
    expect(describeSpan(90_000)).toBe('90 seconds');
    expect(rateLabel(600_000, 12)).toBe('Events per second, last 10 minutes: peak 12/s');
    expect(rateLabel(3_600_000, 0.5)).toBe('Events per second, last 1 hour: peak 0.5/s');
    const totals = EVENT_KINDS.map((kind) => (kind === 'run-state' ? 1200 : kind === 'block' ? 3 : 0));
    expect(rateSummary(600_000, totals, null)).toBe('Last 10 minutes: 1,203 events (1,200 run state, 3 block).');
    expect(rateSummary(600_000, totals, { fromMs: NOW_MS - 60_000, toMs: NOW_MS })).toMatch(/Selected range \d\d:\d\d:\d\d to \d\d:\d\d:\d\d/);
  });
});

/**
 * happy-dom has no canvas: a 2D context that accepts every call lets the real uPlot build its
 * DOM and handle mouse events, so the wiring (drag → range, double-click → clear) is tested.
 */
const filled: { style: unknown; x: number; width: number }[] = [];

function fakeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = { canvas };
  state['fillRect'] = (x: number, _y: number, width: number) => filled.push({ style: state['fillStyle'], x, width });
  return new Proxy(state, {
    get: (target, name) => {
      if (name in target) return target[name];
      if (name === 'measureText') return (text: string) => ({ width: text.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
      return () => undefined;
    },
    set: (target, name, value) => {
      target[name] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

describe('RateStrip in the page', () => {
  const width = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get');
  beforeAll(() => {
    // uPlot builds its paths as Path2D, which happy-dom lacks; the fake context ignores them.
    vi.stubGlobal(
      'Path2D',
      class {
        public moveTo(): void {}
        public lineTo(): void {}
        public rect(): void {}
        public arc(): void {}
        public closePath(): void {}
        public bezierCurveTo(): void {}
        public quadraticCurveTo(): void {}
        public addPath(): void {}
      },
    );
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
      return fakeContext(this) as never;
    });
    width.mockReturnValue(600);
  });
  afterEach(cleanup);
  afterAll(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  function renderStrip(onRangeChange: (range: TimeRange | null) => void, range: TimeRange | null = null) {
    const counts = createRateCounts();
    addToRateCounts(counts, [event('STOP', NOW_MS), event('RESET', NOW_MS - 1000), event('BLOCK_IO_ERROR', NOW_MS - 1000)]);
    return render(<RateStrip counts={counts} revision={counts.revision} spanMs={600_000} nowMs={NOW_MS} range={range} onRangeChange={onRangeChange} />);
  }

  it('has an accessible name with the peak and a text alternative', () => {
    renderStrip(() => undefined);
    expect(screen.getByRole('img', { name: 'Events per second, last 10 minutes: peak 2/s' })).toBeTruthy();
    expect(screen.getByText('Last 10 minutes: 3 events (2 run state, 1 block).')).toBeTruthy();
    const legend = screen.getByRole('list', { name: 'Event kinds' });
    expect(legend.textContent).toContain('run state');
    expect(document.querySelector('.u-over')).toBeTruthy();
  });

  it('reports a dragged span as a time range and clears it on double-click', async () => {
    const onRangeChange = vi.fn();
    renderStrip(onRangeChange);
    // uPlot lays itself out in a microtask after construction.
    await act(async () => undefined);
    const over = document.querySelector<HTMLElement>('.u-over');
    if (!over) throw new Error('uPlot did not render');
    act(() => {
      fireEvent.mouseDown(over, { button: 0, clientX: 100, clientY: 10 });
      fireEvent.mouseMove(over, { button: 0, clientX: 300, clientY: 10, movementX: 200, movementY: 0 });
      fireEvent.mouseUp(document, { button: 0, clientX: 300, clientY: 10 });
    });
    expect(onRangeChange).toHaveBeenCalledTimes(1);
    const range = onRangeChange.mock.calls[0]?.[0] as TimeRange;
    // The plot area is 600 px less the 46 px value axis and 8 px padding = 546 px for the 600 s
    // from NOW_S - 599 to NOW_S + 1; the drag covered its pixels 100 to 300.
    const secondAt = (px: number) => (NOW_S - 599 + (px / 546) * 600) * 1000;
    expect(Math.abs(range.fromMs - secondAt(100))).toBeLessThan(1000);
    expect(Math.abs(range.toMs - secondAt(300))).toBeLessThan(1000);
    act(() => {
      fireEvent.dblClick(over, { button: 0, clientX: 200, clientY: 10 });
    });
    expect(onRangeChange).toHaveBeenLastCalledWith(null);
  });

  it('keeps the selected range shaded on the plot and says which it is', async () => {
    filled.length = 0;
    renderStrip(() => undefined, { fromMs: (NOW_S - 300) * 1000, toMs: (NOW_S - 150) * 1000 });
    await act(async () => undefined);
    expect(screen.getByText(/Selected range .* double-click the strip to clear it\./)).toBeTruthy();
    // The shade (the theme's range colour, here its fallback) spans a quarter of the plot's
    // canvas pixels: 150 s of 600 s, at device pixel ratio 1 with the 46 px axis on the left.
    const shade = filled.find((rect) => rect.style === 'rgba(31, 95, 209, 0.16)');
    expect(shade).toBeDefined();
    expect(Math.abs((shade?.width ?? 0) - (546 * 150) / 600)).toBeLessThan(2);
    expect(Math.abs((shade?.x ?? 0) - (46 + (546 * 299) / 600))).toBeLessThan(2);
  });
});

describe('clockLabel', () => {
  it('labels the time axis in local time on one line', () => {
    const at = (h: number, m: number, s: number): number => new Date(2026, 11, 2, h, m, s).getTime() / 1000;
    expect(clockLabel(at(14, 5, 0))).toBe('14:05');
    expect(clockLabel(at(9, 5, 30))).toBe('09:05:30');
  });
});
