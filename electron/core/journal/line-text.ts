/**
 * The journal's line for a timeline entry, written from its parts, and read back.
 *
 * At a flood's 100,000 events a second each event gets a line. The shape is fixed, so the text
 * is a template around the numbers and the strings, with the few VM ids and event names quoted
 * once and cached (a quarter less than `JSON.stringify` of the entry). The data text, already
 * JSON, goes into the line as it is, last, under `data`: written as the JSON string `dataJson`
 * instead it was escaped character by character, which took more than the rest of the line
 * (2.3 against 1.3 µs a line with the flood's `BLOCK_JOB_COMPLETED` data, Node 20). A data text
 * that is not one line holding an object (none the core makes) keeps the escaped form, and lines
 * of that form, which journals written before this hold, read back as well.
 */
import type { TimelineEvent } from '../../common/models';
import { asTimelineEvent } from './journal-line';

/** Quoted VM ids and event names: a log holds few of them, each quoted once. */
const quotedNames = new Map<string, string>();
/** Past this many the cache starts over (a peer inventing names cannot grow it). */
const QUOTED_NAMES_LIMIT = 4096;
/** The member that holds the data text as it is: last in the line, so it runs to the line's final `}`. */
const DATA_MEMBER = ',"data":';

/** `JSON.stringify(name)`, cached. */
function quotedName(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    quoted = JSON.stringify(name);
    if (quotedNames.size >= QUOTED_NAMES_LIMIT) quotedNames.clear();
    quotedNames.set(name, quoted);
  }
  return quoted;
}

/** `JSON.stringify` of a number: non-finite numbers are `null` there too. */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Whether a data text goes into the line as it is: an object on one line (what QMP's event data and the markers' details are). */
function embeddable(dataJson: string): boolean {
  return dataJson.charCodeAt(0) === 0x7b && dataJson.charCodeAt(dataJson.length - 1) === 0x7d && !dataJson.includes('\n');
}

/**
 * The journal line of `entry` (no newline): `JSON.stringify(entry)` without `dataJson`, with the
 * data text as it is under `data` at the end (or, for a data text that is not an object on one
 * line, exactly `JSON.stringify(entry)`).
 */
export function journalLine(entry: TimelineEvent): string {
  const { timestamp, dataJson, marker } = entry;
  let text =
    `{"seq":${numberText(entry.seq)},"vmId":${quotedName(entry.vmId)},"event":${quotedName(entry.event)},` +
    `"timestamp":{"seconds":${numberText(timestamp.seconds)},"microseconds":${numberText(timestamp.microseconds)}},"receivedAt":${numberText(entry.receivedAt)}`;
  if (dataJson !== undefined && !embeddable(dataJson)) text += `,"dataJson":${JSON.stringify(dataJson)}`;
  if (marker !== undefined) text += `,"marker":${JSON.stringify(marker)}`;
  return dataJson !== undefined && embeddable(dataJson) ? `${text}${DATA_MEMBER}${dataJson}}` : `${text}}`;
}

/**
 * The entry a journal line holds, or undefined when the line is not one (torn, garbled, or
 * not of this app). The data text is kept exactly as it is in the line, and must be JSON.
 */
export function readJournalLine(line: string): TimelineEvent | undefined {
  // Names are JSON strings, in which `"` is escaped: only the member itself can spell this.
  const at = line.indexOf(DATA_MEMBER);
  try {
    if (at < 0) return asTimelineEvent(JSON.parse(line));
    if (line.charCodeAt(line.length - 1) !== 0x7d) return undefined;
    const dataJson = line.slice(at + DATA_MEMBER.length, -1);
    JSON.parse(dataJson); // Checked, not kept: the text is what the entry holds.
    const head = asTimelineEvent(JSON.parse(`${line.slice(0, at)}}`));
    return head === undefined || head.dataJson !== undefined || !embeddable(dataJson) ? undefined : { ...head, dataJson };
  } catch {
    return undefined;
  }
}
