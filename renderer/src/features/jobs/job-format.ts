/**
 * Words and numbers of the Jobs section: byte counts, rates and progress, from the plain
 * numbers the core sends (see electron/common/jobs-models.ts).
 */
import { exactBytes, formatBytes } from '../../lib/format';

/** A byte count for people (`1.5 GiB`). */
export function bytesText(bytes: number): string {
  return formatBytes(BigInt(Math.max(0, Math.round(bytes))));
}

/** The exact count, for titles. */
export function exactBytesText(bytes: number): string {
  return exactBytes(BigInt(Math.max(0, Math.round(bytes))));
}

/** A rate in bytes per second (`12.5 MiB/s`). */
export function rateText(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined ? 'not measured yet' : `${bytesText(bytesPerSecond)}/s`;
}

/** Percent done, 0 to 100 with one decimal; undefined when the total is not known. */
export function percentDone(current: number, total: number): number | undefined {
  if (total <= 0) return undefined;
  return Math.min(100, Math.round((current / total) * 1000) / 10);
}

/** `512 MiB of 1 GiB (50%)`, or just the bytes done when the total is unknown. */
export function progressText(current: number, total: number): string {
  const percent = percentDone(current, total);
  return percent === undefined ? `${bytesText(current)} done` : `${bytesText(current)} of ${bytesText(total)} (${percent}%)`;
}

/** Milliseconds as `850 ms` or `12.3 s`. */
export function millisText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
