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
