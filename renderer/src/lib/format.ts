/**
 * Human-readable forms of the numbers QMP reports, keeping the exact value available.
 */

/** One formatter for every count: made once, since it takes a while to make. */
const GROUPED = new Intl.NumberFormat('en-US');

/**
 * `1,234,567`: a count or size with thousands separators.
 *
 * Through one shared `Intl.NumberFormat` rather than `toLocaleString('en-US')`, which builds a
 * formatter per call: in Chromium that was 14 µs a number against 0.5 µs, and a flood redraws
 * the timeline's counts on every frame.
 */
export function groupedNumber(value: number | bigint): string {
  return GROUPED.format(value);
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * A byte count in binary units (`128 MiB`, `1.5 GiB`).
 *
 * Takes bigint so 64-bit sizes stay exact; at most two decimals, trailing zeros dropped.
 */
export function formatBytes(bytes: bigint): string {
  if (bytes < 1024n) return `${bytes} ${bytes === 1n ? 'byte' : 'bytes'}`;
  let unit = 0;
  let whole = bytes;
  while (whole >= 1024n * 1024n && unit < UNITS.length - 2) {
    whole /= 1024n;
    unit++;
  }
  // `whole` is now below 1024² of the next unit: one more division in floating point is exact enough.
  const value = Number(whole) / 1024;
  const rounded = Math.round(value * 100) / 100;
  return `${rounded.toString()} ${UNITS[unit + 1]}`;
}

/** The exact count with thousands separators, for titles and screen readers. */
export function exactBytes(bytes: bigint): string {
  return `${groupedNumber(bytes)} bytes`;
}

/** QEMU's event timestamp as local wall-clock time with microseconds (`14:03:07.123456`). */
export function formatQemuTime(timestamp: { readonly seconds: number; readonly microseconds: number }): string {
  const date = new Date(timestamp.seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(timestamp.microseconds, 6)}`;
}

/** QEMU's event timestamp as a full ISO date (for the `dateTime` attribute and titles). */
export function isoQemuTime(timestamp: { readonly seconds: number; readonly microseconds: number }): string {
  return new Date(timestamp.seconds * 1000 + Math.floor(timestamp.microseconds / 1000)).toISOString();
}
