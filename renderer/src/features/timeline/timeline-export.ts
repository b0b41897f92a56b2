/**
 * What is shown in the timeline (the filter applied) as JSON Lines or CSV text, in chunks.
 *
 * JSON Lines keeps each event exactly as QEMU sent it — `timestamp`, `event`, and `data` as the
 * lossless JSON text received, never parsed and re-printed, so 64-bit integers stay exact — and
 * adds what the app knows: `vm` (the name shown), `vmId`, `receivedAt` (epoch ms of arrival),
 * `seq`, and `marker` on the app's own notes. CSV is for spreadsheets: one row per event with
 * RFC 4180 quoting. A million rows would make one giant string if joined row by row, so the
 * text is built as a list of chunks (a Blob takes them as they are).
 */
import type { TimelineEvent } from '../../../../electron/common/models';
import { KIND_WORDS, eventKind, eventSummary } from './event-kinds';
import type { FilteredEvents } from './timeline-filter';
import { localDateTimeMs } from './timeline-format';

/** Rows per chunk of exported text. */
const CHUNK_ROWS = 10_000;

/** Names a VM for the export (the name shown in the list). */
export type VmNamer = (vmId: string) => string;

/**
 * One JSON Lines record: QEMU's members first, in QEMU's order, then the app's.
 *
 * JSON text cannot hold a raw line break outside a string, so a line break in `dataJson` can
 * only be whitespace and is folded to a space to keep one event per line.
 */
export function jsonLine(event: TimelineEvent, vm: string): string {
  const { seconds, microseconds } = event.timestamp;
  const data = event.dataJson === undefined ? '' : `,"data":${event.dataJson.replace(/[\r\n]+/g, ' ')}`;
  const marker = event.marker === undefined ? '' : `,"marker":${JSON.stringify(event.marker)}`;
  return (
    `{"timestamp":{"seconds":${seconds},"microseconds":${microseconds}},"event":${JSON.stringify(event.event)}${data}` +
    `,"vm":${JSON.stringify(vm)},"vmId":${JSON.stringify(event.vmId)},"receivedAt":${event.receivedAt},"seq":${event.seq}${marker}}`
  );
}

/** The CSV header row's fields. */
export const CSV_COLUMNS = ['seq', 'time', 'vm', 'event', 'kind', 'summary', 'data'] as const;

/** One CSV field, quoted (with doubled quotes) when it holds a quote, comma or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV row (no line ending). */
export function csvRow(event: TimelineEvent, vm: string): string {
  const kind = KIND_WORDS[eventKind(event.event, event.marker)];
  const fields = [String(event.seq), localDateTimeMs(event.timestamp), vm, event.event, kind, eventSummary(event), event.dataJson ?? ''];
  return fields.map(csvField).join(',');
}

function chunked(events: FilteredEvents, head: string | null, row: (event: TimelineEvent) => string, ending: string): string[] {
  const chunks: string[] = [];
  let lines: string[] = head === null ? [] : [head];
  for (let index = 0; index < events.length; index++) {
    const event = events.at(index);
    if (event === undefined) continue;
    lines.push(row(event));
    if (lines.length >= CHUNK_ROWS) {
      chunks.push(lines.join(ending) + ending);
      lines = [];
    }
  }
  if (lines.length > 0) chunks.push(lines.join(ending) + ending);
  return chunks;
}

/** The events as JSON Lines text chunks (`\n` after every line). */
export function toJsonLines(events: FilteredEvents, vmName: VmNamer): string[] {
  return chunked(events, null, (event) => jsonLine(event, vmName(event.vmId)), '\n');
}

/** The events as CSV text chunks with a header row (CRLF line endings, per RFC 4180). */
export function toCsv(events: FilteredEvents, vmName: VmNamer): string[] {
  return chunked(events, CSV_COLUMNS.join(','), (event) => csvRow(event, vmName(event.vmId)), '\r\n');
}

/** `qmp-events-20261202-140307.jsonl`: a file name that sorts by time. */
export function exportFileName(extension: 'jsonl' | 'csv', now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `qmp-events-${stamp}.${extension}`;
}

/**
 * Offers the chunks as a file: a Blob behind an object URL, clicked through `<a download>`.
 *
 * A download is not a navigation, so the CSP and the Electron navigation guard leave it alone;
 * Electron shows its save dialog, a browser its usual download. The URL is released a little
 * later, once the download has surely started reading it.
 */
export function downloadChunks(chunks: readonly string[], fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob(chunks as string[], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
