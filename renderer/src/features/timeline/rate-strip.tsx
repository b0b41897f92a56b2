/**
 * The event-rate strip above the timeline: events per second, stacked by kind, over the last
 * minutes to hours; dragging across it picks a time range, double-click clears it.
 *
 * It draws from per-second counts the caller keeps incrementally ({@link createRateCounts},
 * {@link addToRateCounts}), never from the event buffer itself, so a redraw costs one read per
 * second of the span however many events are held. uPlot draws on a canvas and styles its own
 * elements through CSSOM (allowed by the CSP's `style-src 'self'`); its stylesheet is imported
 * as a file for Vite to bundle.
 */
import { useEffect, useMemo, useRef } from 'react';
import { clockLabel } from '../../lib/clock-label';
import uPlot from 'uplot';
import './kind-colors.css';
import type { TimelineEvent } from '../../../../electron/common/models';
import { bucketRates, bucketSecondsFor, peakRate, SecondCounts, stackRates, type PerSecondSource, type TimeRange } from '../../lib/rate-buckets';
import { EVENT_KINDS, KIND_INDEX, KIND_WORDS, eventKind, kindColorVariable, type EventKind } from './event-kinds';
import { useAtMostEvery } from '../../ui/use-at-most-every';
import { mountPlot, roundTopRange, readAxisColors, themedAxis, themeReader } from '../../ui/uplot-support';
import hidden from '../../ui/visually-hidden.module.css';
import styles from './rate-strip.module.css';
import { groupedNumber } from '../../lib/format';

/** @see TimeRange in rate-buckets.ts (kept JSX-free so pure code can import it). */
export type { TimeRange };

/** What the strip needs from the timeline. */
export interface RateStripProps {
  /** Per-second counts indexed by {@link EVENT_KINDS} order (a {@link createRateCounts} value). */
  readonly counts: PerSecondSource;
  /** Changes whenever `counts` changed (`SecondCounts.revision`), since `counts` is mutated in place. */
  readonly revision: number;
  /** How far back the strip reaches, ms (e.g. 10 minutes); picks the bucket size. */
  readonly spanMs: number;
  /** The right edge, epoch ms (e.g. `useNow()`); the strip moves as it advances. */
  readonly nowMs: number;
  /** The selected range, drawn shaded, or null for none. */
  readonly range: TimeRange | null;
  /** Called with the dragged range, or null on double-click. */
  readonly onRangeChange: (range: TimeRange | null) => void;
  /** Plot height in px (default 96). */
  readonly height?: number;
}

/** Empty counts for every kind, kept six hours. */
export function createRateCounts(): SecondCounts {
  return new SecondCounts(EVENT_KINDS.length);
}

/**
 * Counts a batch of new events (each once) by arrival second and kind: O(batch).
 *
 * Arrival time (`receivedAt`) rather than QEMU's timestamp, so a guest or remote host clock
 * that is off cannot push bars out of the strip, and markers and events share one clock.
 */
export function addToRateCounts(counts: SecondCounts, events: readonly Pick<TimelineEvent, 'event' | 'marker' | 'receivedAt'>[]): void {
  for (const event of events) counts.add(Math.floor(event.receivedAt / 1000), KIND_INDEX[eventKind(event.event, event.marker)]);
}

/** `10 minutes`, `2 hours`, `90 seconds`. */
export function describeSpan(spanMs: number): string {
  const seconds = Math.round(spanMs / 1000);
  const unit = (value: number, word: string) => `${value} ${word}${value === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

/** A rate for people: whole numbers as such, small ones to one decimal. */
function formatRate(rate: number): string {
  if (rate >= 10 || Number.isInteger(rate)) return groupedNumber(Math.round(rate));
  return rate.toFixed(1);
}

/** Axis labels: `50K`, `1.2M`, so a burst's top label fits the axis' 46 px (`50,000/s` did not). */
const AXIS_RATE = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Local `HH:MM:SS` of an epoch ms. */
function clock(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** What the strip shows, computed once per change of counts, span or second. */
export interface StripModel {
  /** uPlot data: bucket starts, then the stacked layers from the top (all kinds) down. */
  readonly data: uPlot.AlignedData;
  readonly fromSecond: number;
  readonly toSecond: number;
  readonly bucketSeconds: number;
  readonly peak: number;
  /** Events per kind in the span, {@link EVENT_KINDS} order. */
  readonly totals: readonly number[];
}

/** Buckets and stacks the span ending at `nowMs`. Pure; exported for tests. */
export function stripModel(counts: PerSecondSource, spanMs: number, nowMs: number): StripModel {
  const toSecond = Math.floor(nowMs / 1000);
  const fromSecond = toSecond - Math.max(1, Math.round(spanMs / 1000)) + 1;
  const bucketSeconds = bucketSecondsFor(toSecond - fromSecond + 1);
  const buckets = bucketRates(counts, EVENT_KINDS.length, fromSecond, toSecond, bucketSeconds);
  const stacked = stackRates(buckets.rates);
  const totals = buckets.rates.map((rates) => Math.round(rates.reduce((sum, rate) => sum + rate, 0) * bucketSeconds));
  return {
    data: [buckets.starts, ...stacked.slice().reverse()],
    fromSecond,
    toSecond,
    bucketSeconds,
    peak: peakRate(stacked),
    totals,
  };
}

/** The accessible name: `Events per second, last 10 minutes: peak 12/s`. */
export function rateLabel(spanMs: number, peak: number): string {
  return `Events per second, last ${describeSpan(spanMs)}: peak ${formatRate(peak)}/s`;
}

/** The text alternative: totals per kind and the selected range. */
export function rateSummary(spanMs: number, totals: readonly number[], range: TimeRange | null): string {
  const all = totals.reduce((sum, value) => sum + value, 0);
  const parts = EVENT_KINDS.flatMap((kind, index) => {
    const total = totals[index] ?? 0;
    return total > 0 ? [`${groupedNumber(total)} ${KIND_WORDS[kind]}`] : [];
  });
  const events = `${groupedNumber(all)} event${all === 1 ? '' : 's'}`;
  const line = `Last ${describeSpan(spanMs)}: ${events}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}.`;
  return range ? `${line} Selected range ${clock(range.fromMs)} to ${clock(range.toMs)}; double-click the strip to clear it.` : line;
}

/** Fallbacks for when the theme's variables cannot be read (tests, a missing sheet). */
const FALLBACK_COLOR = '#667085';

/** The kind of uPlot series `index` (1-based; series 1 is the top layer). */
function seriesKind(index: number): EventKind {
  return EVENT_KINDS[EVENT_KINDS.length - index] ?? 'other';
}

/** Reads the theme's colours off the element (they follow prefers-color-scheme). */
function readColors(element: Element): { kinds: Record<EventKind, string>; range: string; edge: string; text: string; grid: string } {
  const read = themeReader(element);
  const kinds = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, read(kindColorVariable(kind), FALLBACK_COLOR)])) as Record<EventKind, string>;
  return {
    kinds,
    range: read('--kind-range', 'rgba(31, 95, 209, 0.16)'),
    edge: read('--kind-range-edge', '#1f5fd1'),
    ...readAxisColors(read),
  };
}

/**
 * How often new counts redraw the strip, ms. During a flood they change every frame, and
 * redrawing the chart each time cost a tenth of the page's time for bars that move once a
 * second; four redraws a second keep the current bar visibly growing.
 */
const REDRAW_EVERY_MS = 250;

/** The events-per-second strip; see {@link RateStripProps}. */
export function RateStrip({ counts, revision, spanMs, nowMs, range, onRangeChange, height = 96 }: RateStripProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const rangeRef = useRef(range);
  const onRangeRef = useRef(onRangeChange);
  const nowSecond = Math.floor(nowMs / 1000);
  const shownRevision = useAtMostEvery(revision, REDRAW_EVERY_MS);
  // `revision` is the signal that the mutable `counts` changed: recompute when it moves.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `counts` is mutated in place; `revision` is its version
  const model = useMemo(() => stripModel(counts, spanMs, nowSecond * 1000), [counts, shownRevision, spanMs, nowSecond]);
  const modelRef = useRef(model);
  // Words for the strip change with its model (at most four times a second), not with every
  // render: formatted each frame of a flood, they cost more than the rest of the strip's render.
  const label = useMemo(() => rateLabel(spanMs, model.peak), [spanMs, model.peak]);
  const summary = useMemo(() => rateSummary(spanMs, model.totals, range), [spanMs, model.totals, range]);

  useEffect(() => {
    rangeRef.current = range;
    onRangeRef.current = onRangeChange;
    plotRef.current?.redraw(false, false);
  }, [range, onRangeChange]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    let colors = readColors(host);
    // Steps, not lines: a bucket's count holds for the whole bucket.
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const axes = () => colors;
    const options: Omit<uPlot.Options, 'width'> = {
      height,
      legend: { show: false },
      padding: [6, 8, 0, 0],
      cursor: {
        x: true,
        y: false,
        points: { show: false },
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            onRangeRef.current(null);
            return null;
          },
        },
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: () => [modelRef.current.fromSecond, modelRef.current.toSecond + 1] },
        y: { range: roundTopRange },
      },
      axes: [
        themedAxis(axes, {
          size: 22,
          // One line per label (uPlot's default puts the hour on a second line that a 22 px axis cuts off).
          space: 70,
          values: (_u, splits) => splits.map(clockLabel),
        }),
        themedAxis(axes, { size: 46, values: (_u, splits) => splits.map((value) => `${AXIS_RATE.format(value)}/s`) }),
      ],
      series: [
        {},
        ...EVENT_KINDS.map((_kind, position) => {
          const kind = seriesKind(position + 1);
          return {
            label: KIND_WORDS[kind],
            stroke: () => colors.kinds[kind],
            fill: () => colors.kinds[kind],
            width: 1,
            points: { show: false },
            ...(stepped ? { paths: stepped } : {}),
          } satisfies uPlot.Series;
        }),
      ],
      hooks: {
        setSelect: [
          (plot) => {
            const { left, width } = plot.select;
            if (width >= 2) {
              const fromMs = Math.round(plot.posToVal(left, 'x') * 1000);
              const toMs = Math.round(plot.posToVal(left + width, 'x') * 1000);
              onRangeRef.current({ fromMs: Math.min(fromMs, toMs), toMs: Math.max(fromMs, toMs) });
            }
            // The chosen range is drawn from `range` (it moves with time); drop uPlot's box.
            plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        draw: [(plot) => drawRange(plot, rangeRef.current, colors)],
      },
    };
    return mountPlot(plotRef, host, options, modelRef.current.data, () => {
      colors = readColors(host);
    });
  }, [height]);

  useEffect(() => {
    modelRef.current = model;
    plotRef.current?.setData(model.data, true);
  }, [model]);

  return (
    <div className={styles.strip}>
      <div ref={hostRef} className={styles.plot} role="img" aria-label={label} />
      <ul className={styles.legend} aria-label="Event kinds">
        {EVENT_KINDS.map((kind, index) => (
          <li key={kind} data-kind={kind} className={(model.totals[index] ?? 0) > 0 ? styles.present : styles.absent}>
            <span className={styles.swatch} aria-hidden="true" />
            {KIND_WORDS[kind]}
          </li>
        ))}
      </ul>
      <p className={hidden.visuallyHidden} aria-live="off">
        {summary}
      </p>
    </div>
  );
}

/** Shades the selected range (clipped to the plot) with edges, over the bars. */
function drawRange(plot: uPlot, range: TimeRange | null, colors: { range: string; edge: string }): void {
  if (!range) return;
  const { left, top, width, height } = plot.bbox;
  const from = Math.max(left, Math.min(left + width, plot.valToPos(range.fromMs / 1000, 'x', true)));
  const to = Math.max(left, Math.min(left + width, plot.valToPos(range.toMs / 1000, 'x', true)));
  if (!Number.isFinite(from) || !Number.isFinite(to)) return;
  const ctx = plot.ctx;
  ctx.save();
  ctx.fillStyle = colors.range;
  ctx.fillRect(from, top, Math.max(1, to - from), height);
  ctx.fillStyle = colors.edge;
  ctx.fillRect(from, top, 1, height);
  ctx.fillRect(Math.max(from, to - 1), top, 1, height);
  ctx.restore();
}
