/**
 * Numbers of the live charts for people: rates, percentages, byte sizes.
 */
import { formatBytes, groupedNumber } from '../../lib/format';

/** `76.6 KiB`: three significant digits, for an axis. */
export function formatShortSize(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  let scaled = Math.max(0, value);
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled >= 100 || unit === 0 ? Math.round(scaled) : Number(scaled.toPrecision(3))} ${units[unit]}`;
}

/** `76.6 KiB/s`, for an axis. */
export function formatShortByteRate(value: number): string {
  return `${formatShortSize(value)}/s`;
}

/** `1.5 MiB/s`. */
export function formatByteRate(value: number): string {
  return `${formatBytes(BigInt(Math.max(0, Math.round(value))))}/s`;
}

/** `12 ops/s`, `0.5 ops/s`. */
export function formatOpsRate(value: number): string {
  return `${value >= 10 || Number.isInteger(value) ? groupedNumber(Math.round(value)) : value.toFixed(1)} ops/s`;
}

/** `12.5 %`. */
export function formatPercent(value: number): string {
  return `${value.toFixed(1)} %`;
}

/** `128 MiB`. */
export function formatSize(value: number): string {
  return formatBytes(BigInt(Math.max(0, Math.round(value))));
}

/** A value or a dash when there is none yet. */
export function orDash(value: number | null | undefined, format: (value: number) => string): string {
  return value === null || value === undefined ? '–' : format(value);
}
