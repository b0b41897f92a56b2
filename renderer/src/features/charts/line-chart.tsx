/**
 * One live chart: lines over time with the latest values (and totals) as text beside it.
 *
 * uPlot draws on a canvas, so the canvas is an image with an accessible name that says what it
 * shows and its latest values; the same values are printed beside it for everyone. A null
 * value breaks the line (uPlot does not span gaps), which is how a disconnect or a pause in
 * sampling shows. Colours come from CSS variables (chart-colors.css) and follow the theme.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import './chart-colors.css';
import { clockLabel } from '../../lib/clock-label';
import { mountPlot, readAxisColors, themedAxis, themeReader } from '../../ui/uplot-support';
import styles from './line-chart.module.css';

/** One of the six series colours. */
export type ChartColor = 1 | 2 | 3 | 4 | 5 | 6;

/** The colour for the `index`th line (0-based), cycling. */
export function chartColor(index: number): ChartColor {
  return ((index % 6) + 1) as ChartColor;
}

const SWATCH: Record<ChartColor, string | undefined> = { 1: styles.c1, 2: styles.c2, 3: styles.c3, 4: styles.c4, 5: styles.c5, 6: styles.c6 };

/** One line of a chart. */
export interface ChartSeries {
  readonly label: string;
  /** Which of the six theme colours (chart-colors.css), 1-6. */
  readonly color: ChartColor;
  /** One value per time, null for "no data here". */
  readonly values: readonly (number | null)[];
}

/** A number shown beside the chart. */
export interface ChartValue {
  readonly term: string;
  readonly value: string;
  /** The colour of the series it belongs to (for its swatch). */
  readonly color?: ChartColor;
}

/** What a chart shows. */
export interface LineChartProps {
  /** Caption and start of the accessible name: `Block I/O of drive0, bytes per second`. */
  readonly title: string;
  /** Sample times, epoch ms. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Axis labels (short: the axis is 80 px wide). */
  readonly format: (value: number) => string;
  /** The lowest top of the value axis, so a flat zero line does not zoom into noise (default 1). */
  readonly minTop?: number;
  /** Latest values and totals, beside the chart and in its name. */
  readonly values: readonly ChartValue[];
  readonly height?: number;
}

/** `name: value, name: value` for the accessible name. */
export function valuesText(values: readonly ChartValue[]): string {
  return values.length === 0 ? 'no samples yet' : values.map((v) => `${v.term} ${v.value}`).join(', ');
}

/** Whether this page can draw on a canvas (a locked-down or test browser may not); the text stays either way. */
function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

/** The theme's axis colours and one colour per line, `--chart-N` (chart-colors.css). */
function readColors(element: Element, colorVariables: readonly string[]): { axes: { text: string; grid: string }; lines: string[] } {
  const read = themeReader(element);
  return { axes: readAxisColors(read), lines: colorVariables.map((name) => read(name, '#667085')) };
}

/** The chart; see {@link LineChartProps}. */
export function LineChart({ title, times, series, format, values, minTop = 1, height = 120 }: LineChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const formatRef = useRef(format);
  const data: uPlot.AlignedData = [times.map((t) => t / 1000), ...series.map((s) => s.values.map((v) => v))];
  const dataRef = useRef(data);
  const shape = series.map((s) => s.color).join(',');

  useEffect(() => {
    const host = hostRef.current;
    if (!host || !canDraw()) return undefined;
    const colorVariables = shape === '' ? [] : shape.split(',').map((n) => `--chart-${n}`);
    let colors = readColors(host, colorVariables);
    const axes = () => colors.axes;
    const options: Omit<uPlot.Options, 'width'> = {
      height,
      legend: { show: false },
      // Room on the right for the newest time's label, centred on the plot's edge.
      padding: [6, 28, 0, 0],
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, minTop)] } },
      axes: [
        themedAxis(axes, { size: 22, space: 70, values: (_u, splits) => splits.map(clockLabel) }),
        themedAxis(axes, { size: 80, values: (_u, splits) => splits.map((v) => formatRef.current(v)) }),
      ],
      series: [{}, ...colorVariables.map((_name, index) => ({ stroke: () => colors.lines[index] ?? colors.axes.text, width: 1.5, points: { show: false } }) satisfies uPlot.Series)],
    };
    return mountPlot(plotRef, host, options, dataRef.current, () => {
      colors = readColors(host, colorVariables);
    });
  }, [height, shape, minTop]);

  // After the plot exists (declared after it): every render hands it the newest data and format.
  useEffect(() => {
    formatRef.current = format;
    dataRef.current = data;
    plotRef.current?.setData(data, true);
  });

  return (
    <figure className={styles.chart}>
      <figcaption className={styles.caption}>{title}</figcaption>
      <div ref={hostRef} className={styles.plot} role="img" aria-label={`${title}: ${valuesText(values)}`} />
      <dl className={styles.values}>
        {values.map((v) => (
          <div key={v.term} className={styles.entry}>
            <dt>
              {v.color !== undefined && <span className={`${styles.swatch} ${SWATCH[v.color] ?? ''}`} aria-hidden="true" />}
              {v.term}
            </dt>
            <dd>{v.value}</dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
