/**
 * Text helpers of the console: the clock shown beside a command, and HMP's output as text.
 */
import { parseJsonLossless } from '../../../../electron/common/json-text';

/** Local time to the millisecond (`16:27:07.123`): when a command was sent. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * The text of a human-monitor-command reply: QMP returns it as a JSON string with HMP's own
 * `\r\n` line ends, which a `<pre>` would show doubled or with stray marks, so they become `\n`.
 */
export function hmpText(returnJson: string): string {
  let value: unknown;
  try {
    value = parseJsonLossless(returnJson);
  } catch {
    value = returnJson;
  }
  const text = typeof value === 'string' ? value : returnJson;
  return text.replace(/\r\n?/g, '\n');
}
