/**
 * How `qmp-monitor events` prints one event.
 *
 * With one target the line is QEMU's event exactly as sent (members, order, timestamp), which
 * scripts already parse. With several, a `"target"` member comes first, as the user typed the
 * target: the line stays one JSON object shaped like a QMP event, so `jq .event` keeps working
 * and `jq 'select(.target == "unix:/tmp/a.sock")'` picks one VM.
 */
import { stringifyJsonLossless } from '../common/json-text';
import type { QmpEvent } from '../core/qmp/types';

/**
 * The text of one event: one line, or indented over several with `pretty`; integers beyond
 * 2^53 stay exact either way.
 *
 * QEMU never sends a top-level `target`; should a peer do so, ours wins, since the line must
 * say where it came from.
 */
export function formatEvent(event: QmpEvent, target: string | undefined, pretty: boolean): string {
  const indent = pretty ? 2 : undefined;
  if (target === undefined) return stringifyJsonLossless(event, indent);
  // Spreading keeps `target` in first place even when the event brings its own; then ours wins.
  const named: Record<string, unknown> = { target, ...event };
  named.target = target;
  return stringifyJsonLossless(named, indent);
}

/**
 * `events --human`: `2026-12-02 16:27:07.123456 STOP` then the data as one JSON line, for a
 * person watching a terminal. The time is QEMU's own timestamp in local time, to the
 * microsecond QEMU gives; with several targets the target follows the time.
 */
export function formatEventHuman(event: QmpEvent, target: string | undefined): string {
  const parts = [localTimeWithMicroseconds(event.timestamp.seconds, event.timestamp.microseconds)];
  if (target !== undefined) parts.push(target);
  parts.push(event.event);
  if (event.data !== undefined) parts.push(stringifyJsonLossless(event.data));
  return parts.join(' ');
}

/** `YYYY-MM-DD HH:MM:SS.uuuuuu` in the local time zone. */
export function localTimeWithMicroseconds(seconds: number, microseconds: number): string {
  const date = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  const micros = String(Math.max(0, Math.min(999_999, Math.trunc(microseconds)))).padStart(6, '0');
  return `${day} ${time}.${micros}`;
}
