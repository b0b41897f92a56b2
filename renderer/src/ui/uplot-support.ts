/**
 * What every uPlot chart of the app does alike, written once: colours read from the theme's CSS
 * variables (so a canvas follows light and dark like the rest of the page), the same quiet axes,
 * and a plot that follows its host's width and repaints when the colour scheme changes.
 *
 * uPlot draws on a canvas and styles its own elements through CSSOM, which the CSP's
 * `style-src 'self'` allows; its stylesheet is imported here as a file for Vite to bundle.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Reads CSS variables off an element: `read('--accent', '#1f5fd1')`, the fallback where the theme sets none (tests, a missing sheet). */
export type ThemeReader = (name: string, fallback: string) => string;

/** A {@link ThemeReader} for `element`, computing its style once for all the reads that follow. */
export function themeReader(element: Element): ThemeReader {
  const style = getComputedStyle(element);
  return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}

/**
 * A y scale from 0 to the smallest of 1, 2, 2.5 or 5 times a power of ten at or above `max`
 * (1 at least). A short chart has room for one or two labels: with the top at the data's own
 * maximum uPlot's next round step lies above it, and a burst of 47,000 events/s left the
 * 72 px rate strip labelled only "0/s"; a round top is always labelled.
 */
export function roundTopRange(_plot: uPlot, _min: number, max: number): uPlot.Range.MinMax {
  if (!(max > 1)) return [0, 1];
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5]) if (step * power >= max) return [0, step * power];
  return [0, 10 * power];
}

/** The colours of an axis: its labels and its grid lines. */
export interface AxisColors {
  readonly text: string;
  readonly grid: string;
}

/** The theme's axis colours (muted text, border-coloured grid), the same in every chart. */
export function readAxisColors(read: ThemeReader): AxisColors {
  return { text: read('--muted', '#5b6270'), grid: read('--border', '#dde1e8') };
}

/**
 * A themed axis: `colors` is asked at each draw, so a repaint after a theme change picks up the
 * new ones. `axis` adds what is this axis's own (size, spacing, labels).
 */
export function themedAxis(colors: () => AxisColors, axis: uPlot.Axis): uPlot.Axis {
  return {
    stroke: () => colors().text,
    grid: { stroke: () => colors().grid, width: 1 },
    ticks: { show: false },
    font: '11px system-ui, sans-serif',
    ...axis,
  };
}

/**
 * Makes the plot in `host` at the host's width (at least 1 px) and puts it in `plotRef` (for
 * the component's data updates), keeps it that wide as the host resizes, and on a change of
 * `prefers-color-scheme` calls `onThemeChange` (to re-read colours) and repaints. Returns the
 * effect's cleanup: it stops all that, destroys the plot and empties `plotRef`.
 */
export function mountPlot(
  plotRef: { current: uPlot | null },
  host: HTMLElement,
  options: Omit<uPlot.Options, 'width'>,
  data: uPlot.AlignedData,
  onThemeChange: () => void,
): () => void {
  const width = () => Math.max(1, host.clientWidth);
  const plot = new uPlot({ ...options, width: width() }, data, host);
  plotRef.current = plot;
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height }));
  resize.observe(host);
  const theme = matchMedia('(prefers-color-scheme: dark)');
  const repaint = () => {
    onThemeChange();
    plot.redraw(false, true);
  };
  theme.addEventListener('change', repaint);
  return () => {
    theme.removeEventListener('change', repaint);
    resize.disconnect();
    plot.destroy();
    plotRef.current = null;
  };
}
