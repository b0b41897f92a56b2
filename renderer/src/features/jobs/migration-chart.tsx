/**
 * A small uPlot line of the bytes a migration has transferred, drawn from the history the
 * core keeps while it runs (see migration-view.ts). uPlot styles its elements through CSSOM,
 * which the CSP's `style-src 'self'` allows (as in the timeline's rate strip).
 */
import { useEffect, useMemo, useRef } from 'react';
import { clockLabel } from '../../lib/clock-label';
import type uPlot from 'uplot';
import { mountPlot, roundTopRange, readAxisColors, themedAxis, themeReader } from '../../ui/uplot-support';
import { bytesText } from './job-format';
import styles from './jobs.module.css';

/** Reads the theme's colours off the element (they follow prefers-color-scheme). */
function readColors(element: Element): { line: string; text: string; grid: string } {
  const read = themeReader(element);
  return { line: read('--accent', '#1f5fd1'), ...readAxisColors(read) };
}

/** uPlot's columns: seconds, bytes. */
function toData(history: readonly (readonly [number, number])[]): uPlot.AlignedData {
  return [history.map(([at]) => at / 1000), history.map(([, bytes]) => bytes)];
}

/** The chart, named for screen readers by what it shows and the latest value. */
export function MigrationChart({ history, height = 120 }: { readonly history: readonly (readonly [number, number])[]; readonly height?: number }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const data = useMemo(() => toData(history), [history]);
  // The plot is made once (per height); it starts from the data of that moment.
  const dataRef = useRef(data);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    let colors = readColors(host);
    const axes = () => colors;
    return mountPlot(
      plotRef,
      host,
      {
        height,
        legend: { show: false },
        cursor: { show: false },
        padding: [6, 8, 0, 0],
        scales: { x: { time: true }, y: { range: roundTopRange } },
        axes: [
          // Whole seconds at least: the labels show seconds, so finer ticks would repeat them.
          themedAxis(axes, { size: 22, space: 80, values: (_u, splits) => splits.map(clockLabel), incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600] }),
          themedAxis(axes, { size: 64, space: 30, values: (_u, splits) => splits.map((bytes) => bytesText(bytes)) }),
        ],
        series: [{}, { label: 'Transferred', stroke: () => colors.line, width: 2, points: { show: false } }],
      },
      dataRef.current,
      () => {
        colors = readColors(host);
      },
    );
  }, [height]);

  useEffect(() => {
    dataRef.current = data;
    plotRef.current?.setData(data);
  }, [data]);

  const last = history[history.length - 1];
  const label = `Migration: bytes transferred over time${last ? `, ${bytesText(last[1])} so far` : ''}`;
  return <div ref={hostRef} role="img" aria-label={label} className={styles.chart} />;
}
