/**
 * The recording format: QMP traffic saved as JSON Lines, one entry per message as it crossed
 * the socket.
 *
 * One definition for everything that writes or reads recordings (`qmp-monitor --record`, the
 * app's wire log saved to a file, the app opening a recording later), so a recording made by
 * one opens in the other. A line is `{"dir":"out"|"in","t":MS,"text":"EXACT TEXT"}`: `dir` is
 * seen from the client (`out` = to QEMU, `in` = from QEMU), `t` is milliseconds since the
 * epoch when the text crossed (or was queued for) the socket, `text` is the message exactly,
 * line end included (CRLF from QEMU, LF from us; `pretty=on` replies over many lines). JSON
 * string escaping keeps any text, control characters included, on one line. Pure (no Node
 * API) so the renderer can read recordings too.
 */

/** Which way a text went, seen from the client. */
export type WireDirection = 'in' | 'out';

/** One message of a recording. */
export interface RecordingEntry {
  readonly dir: WireDirection;
  /** Milliseconds since the epoch. */
  readonly t: number;
  /** The exact text, line end included. */
  readonly text: string;
}

/** One recording line (without its newline), members always in this order. */
export function formatRecordingLine(entry: RecordingEntry): string {
  return JSON.stringify({ dir: entry.dir, t: entry.t, text: entry.text });
}

/** A recording read back: every whole entry, and the lines that were not one (1-based). */
export interface ParsedRecording {
  readonly entries: readonly RecordingEntry[];
  readonly badLines: readonly { readonly line: number; readonly reason: string }[];
}

/**
 * Reads a recording's text; never throws. A line that is not an entry (a torn last line, a
 * hand edit) is listed in `badLines` and the rest is kept, as the event journal does.
 */
export function parseRecording(text: string): ParsedRecording {
  const entries: RecordingEntry[] = [];
  const badLines: { line: number; reason: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const entry = parseRecordingLine(raw);
    if (typeof entry === 'string') badLines.push({ line: index + 1, reason: entry });
    else entries.push(entry);
  });
  return { entries, badLines };
}

/** One line as an entry, or why it is not one. */
export function parseRecordingLine(line: string): RecordingEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const { dir, t, text } = value as Record<string, unknown>;
  if (dir !== 'in' && dir !== 'out') return `"dir" must be "in" or "out"`;
  if (typeof t !== 'number' || !Number.isFinite(t)) return `"t" must be a number of milliseconds`;
  if (typeof text !== 'string') return `"text" must be a string`;
  return { dir, t, text };
}
