/**
 * What is shown in the timeline (the filter applied) as JSON Lines or CSV text, in chunks.
 *
 * JSON Lines keeps each event exactly as QEMU sent it — `timestamp`, `event`, and `data` as the
 * lossless JSON text received, never parsed and re-printed, so 64-bit integers stay exact — and
 * adds what the app knows: `vm` (the name shown), `vmId`, `receivedAt` (epoch ms of arrival),
 * `seq`, and `marker` on the app's own notes. CSV is for spreadsheets: one row per event with
 * RFC 4180 quoting. A million rows would make one giant string if joined row by row, so the
 * text is built as a list of chunks (a Blob takes them as they are), and the page's export
 * ({@link exportBlob}) builds them in short slices between which the page goes on rendering.
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

/**
 * Export text built row by row, so the page can stop after any row and pick up again later.
 *
 * Rows gather into chunks of {@link CHUNK_ROWS}; where a step stops never changes the text,
 * so a file built in one go and one built in slices are the same bytes.
 */
class ExportText {
  /** Rows of the view read so far. */
  public read = 0;
  /** Finished chunks not yet taken. */
  public readonly chunks: string[] = [];
  private lines: string[];

  public constructor(
    private readonly events: FilteredEvents,
    head: string | null,
    private readonly row: (event: TimelineEvent) => string,
    private readonly ending: string,
  ) {
    this.lines = head === null ? [] : [head];
  }

  /** True once every row is in a chunk. */
  public get finished(): boolean {
    return this.read >= this.events.length && this.lines.length === 0;
  }

  /** Adds rows until `deadline` (a `performance.now()` time, checked every {@link CLOCK_EVERY} rows) or the end. */
  public step(deadline = Number.POSITIVE_INFINITY): void {
    const { events } = this;
    while (this.read < events.length) {
      // An event dropped by the buffer's bound since the view was made reads as undefined.
      const event = events.at(this.read++);
      if (event !== undefined) this.lines.push(this.row(event));
      if (this.lines.length >= CHUNK_ROWS) this.flush();
      if (this.read % CLOCK_EVERY === 0 && performance.now() >= deadline) return;
    }
    if (this.lines.length > 0) this.flush();
  }

  private flush(): void {
    this.chunks.push(this.lines.join(this.ending) + this.ending);
    this.lines = [];
  }
}

/** Rows between two looks at the clock (reading it costs more than a row). */
const CLOCK_EVERY = 256;

function jsonLinesText(events: FilteredEvents, vmName: VmNamer): ExportText {
  return new ExportText(events, null, (event) => jsonLine(event, vmName(event.vmId)), '\n');
}

function csvText(events: FilteredEvents, vmName: VmNamer): ExportText {
  return new ExportText(events, CSV_COLUMNS.join(','), (event) => csvRow(event, vmName(event.vmId)), '\r\n');
}

/** The events as JSON Lines text chunks (`\n` after every line). */
export function toJsonLines(events: FilteredEvents, vmName: VmNamer): string[] {
  const text = jsonLinesText(events, vmName);
  text.step();
  return text.chunks;
}

/** The events as CSV text chunks with a header row (CRLF line endings, per RFC 4180). */
export function toCsv(events: FilteredEvents, vmName: VmNamer): string[] {
  const text = csvText(events, vmName);
  text.step();
  return text.chunks;
}

/** The two export formats, by file extension. */
export type ExportFormat = 'jsonl' | 'csv';

/** The MIME type of each format's file. */
export const EXPORT_TYPES: Readonly<Record<ExportFormat, string>> = { jsonl: 'application/x-ndjson', csv: 'text/csv' };

/** Options of {@link exportBlob}. */
export interface ExportOptions {
  /** Aborting stops the export before its next slice and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after each slice with the rows read so far and the rows to read. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Longest the page is kept busy per slice, ms (default {@link SLICE_MS}). */
  readonly sliceMs?: number;
}

/** Work per slice: leaves most of each 16.7 ms frame to rendering, input and the event pushes. */
const SLICE_MS = 8;

/**
 * Hands the page back to the browser until a next task: input, pushes and frames go first.
 *
 * A task (setTimeout), not a microtask, which would never let the page render. A Worker
 * (the CSP allows `worker-src 'self'`) would free the page entirely, but the events would
 * have to be copied to it, and that copy is itself one long task on the page.
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The events as a file's Blob, built in slices of at most `sliceMs` that yield to the page in
 * between, so exporting a million rows never freezes it.
 *
 * Each finished chunk becomes a Blob at once (the browser copies the text out of the JS heap,
 * and the string can go), and the file is a Blob of those Blobs, so no step encodes the whole
 * file in one go. The bytes are those of {@link toJsonLines} / {@link toCsv} for the same view.
 */
export async function exportBlob(format: ExportFormat, events: FilteredEvents, vmName: VmNamer, options: ExportOptions = {}): Promise<Blob> {
  const text = format === 'jsonl' ? jsonLinesText(events, vmName) : csvText(events, vmName);
  const parts: Blob[] = [];
  const sliceMs = options.sliceMs ?? SLICE_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    text.step(performance.now() + sliceMs);
    for (const chunk of text.chunks.splice(0)) parts.push(new Blob([chunk]));
    options.onProgress?.(text.read, events.length);
    if (text.finished) return new Blob(parts, { type: EXPORT_TYPES[format] });
    await yieldToPage();
  }
}

/** `qmp-events-20261202-140307.jsonl`: a file name that sorts by time. */
export function exportFileName(extension: ExportFormat, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `qmp-events-${stamp}.${extension}`;
}
