/**
 * A tiny SVG line chart: shape at a glance, with the numbers in its accessible name.
 */
import styles from './sparkline.module.css';

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  readonly values: readonly number[];
  /** Sentence for screen readers and the hover title, e.g. "12 events in the last 60 s". */
  readonly label: string;
  readonly width?: number;
  readonly height?: number;
}

/** Draws `values` left (oldest) to right (newest), scaled to the largest value. */
export function Sparkline({ values, label, width = 120, height = 24 }: SparklineProps) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - 1 - (value / max) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg className={styles.sparkline} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <polygon points={`0,${height} ${points} ${width},${height}`} className={styles.area} />
      <polyline points={points} fill="none" strokeWidth="1.5" className={styles.line} />
    </svg>
  );
}
