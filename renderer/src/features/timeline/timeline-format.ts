/**
 * How the timeline writes times: QEMU's clock in local time to the millisecond on the row, the
 * exact `seconds.microseconds` and the delay until the app received it in the detail.
 *
 * The delay matters for remote hosts and busy cores: a large one means the event sat in a
 * socket or a queue before the app saw it. Markers carry the app's own clock, so their delay
 * is only how long the core took to pass them on.
 */
import type { TimelineEvent } from '../../../../electron/common/models';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `14:03:07.123`: the local wall-clock time of QEMU's timestamp, to the millisecond. */
export function localTimeMs(timestamp: TimelineEvent['timestamp']): string {
  const date = new Date(timestamp.seconds * 1000);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(Math.floor(timestamp.microseconds / 1000), 3)}`;
}

/** `2026-12-02 14:03:07.123`: the local date and time, for CSV and the detail line. */
export function localDateTimeMs(timestamp: TimelineEvent['timestamp']): string {
  const date = new Date(timestamp.seconds * 1000);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${localTimeMs(timestamp)}`;
}

/** `1733140987.123456`: QEMU's timestamp exactly as sent. */
export function exactTimestamp(timestamp: TimelineEvent['timestamp']): string {
  return `${timestamp.seconds}.${pad(timestamp.microseconds, 6)}`;
}

/** Milliseconds from QEMU's timestamp to the app's receipt (negative if the clocks disagree). */
export function arrivalDelayMs(event: Pick<TimelineEvent, 'timestamp' | 'receivedAt'>): number {
  return event.receivedAt - (event.timestamp.seconds * 1000 + event.timestamp.microseconds / 1000);
}

/** `arrived 3 ms later` / `arrived 1.2 s later` / `arrived 40 ms before (clocks differ)`. */
export function arrivalText(event: Pick<TimelineEvent, 'timestamp' | 'receivedAt'>): string {
  const delay = arrivalDelayMs(event);
  const size = Math.abs(delay);
  const shown = size >= 1000 ? `${(size / 1000).toFixed(1)} s` : `${Math.round(size)} ms`;
  return delay < 0 ? `arrived ${shown} before (clocks differ)` : `arrived ${shown} later`;
}

/** The hover title of a row's time: exact value, local date and the arrival delay. */
export function timeTitle(event: Pick<TimelineEvent, 'timestamp' | 'receivedAt'>): string {
  return `QEMU time ${exactTimestamp(event.timestamp)} (${localDateTimeMs(event.timestamp)}), ${arrivalText(event)}`;
}
