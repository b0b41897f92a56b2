/**
 * The wire inspector's view of a VM's raw traffic, as the `getWire` request returns it.
 *
 * Kept beside the recording format (wire-recording.ts): an entry here is a recording entry
 * (`dir`, time, text) plus what the inspector shows about it (sequence number, bytes on the
 * wire, whether the text was cut for display), so saving the inspector's entries as a
 * recording is a field-for-field copy when `truncated` is false.
 */
import { z } from 'zod';
import { formatRecordingLine } from './wire-recording';

/** Longest text per entry a page may ask for (a recording save asks for whole texts). */
export const MAX_WIRE_TEXT_CHARS = 64 * 1024 * 1024;

/** One message as it crossed the socket. */
export const WireEntrySchema = z.object({
  seq: z.number().int(),
  dir: z.enum(['in', 'out']),
  /** Milliseconds since the epoch. */
  at: z.number(),
  /** Bytes on the wire (UTF-8). */
  bytes: z.number().int(),
  /** The exact text, cut to the page's `maxTextChars`. */
  text: z.string(),
  /** Length of the whole text (UTF-16 code units). */
  textLength: z.number().int(),
  truncated: z.boolean(),
});

/** A page of a VM's wire log after `afterSeq`. */
export const WirePageSchema = z.object({
  entries: z.array(WireEntrySchema),
  /** Ask after this next time. */
  lastSeq: z.number().int(),
  /** Entries dropped (oldest first) to keep the log within its bound. */
  dropped: z.number().int(),
  /** The page hit its entry limit: ask again at once. */
  more: z.boolean(),
});

/** Parameters of `getWire`. */
export const WireRequestSchema = z
  .object({
    vmId: z.string().min(1).max(64),
    /** Entries after this seq (exclusive); 0 for everything held. */
    afterSeq: z.number().int().min(-1),
    /** Cut each text to this length (default 16 KiB); the full length is in `textLength`. */
    maxTextChars: z.number().int().min(1).max(MAX_WIRE_TEXT_CHARS).optional(),
  })
  .strict();

/** One wire log entry as the page gets it. */
export type WireEntry = z.infer<typeof WireEntrySchema>;

/**
 * The entries as a recording file's text (one JSON line each). Entries cut for display
 * (`truncated`) would save a text that never crossed the socket, so ask `getWire` with a
 * `maxTextChars` above every `textLength` before saving; the count of cut ones is returned so
 * the caller can say so instead of saving them silently.
 */
export function wireEntriesAsRecording(entries: readonly WireEntry[]): { readonly text: string; readonly truncated: number } {
  const lines = entries.map((e) => `${formatRecordingLine({ dir: e.dir, t: e.at, text: e.text })}\n`);
  return { text: lines.join(''), truncated: entries.filter((e) => e.truncated).length };
}
