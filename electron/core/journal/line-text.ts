/**
 * The JSON text of a timeline entry, written from its parts: the journal's line for it, exactly
 * what `JSON.stringify(entry)` says (the web bridge sends entries in columns instead,
 * common/compact-events.ts).
 *
 * At a flood's 100,000 events a second each event gets a line. The shape is fixed, so the text
 * is a template around the numbers and the strings, with the few VM ids and event names quoted
 * once and cached: a quarter less than `JSON.stringify` of the entry in a micro-benchmark (1.9
 * against 2.6 µs).
 */
import type { TimelineEvent } from './models';

/** Quoted VM ids and event names: a log holds few of them, each quoted once. */
const quotedNames = new Map<string, string>();
/** Past this many the cache starts over (a peer inventing names cannot grow it). */
const QUOTED_NAMES_LIMIT = 4096;

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

/** `JSON.stringify` of a number: non-finite numbers are `null` there too (the compact entries' rule as well). */
export function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * `JSON.stringify(entry)` for an entry with the members of TimelineEvent in their usual order
 * (seq, vmId, event, timestamp, receivedAt, dataJson, marker), which is the order every entry
 * the core makes has; readers parse the text, so the order is not part of its meaning.
 */
export function timelineEventJson(entry: TimelineEvent): string {
  const { timestamp } = entry;
  let text =
    `{"seq":${numberText(entry.seq)},"vmId":${quotedName(entry.vmId)},"event":${quotedName(entry.event)},` +
    `"timestamp":{"seconds":${numberText(timestamp.seconds)},"microseconds":${numberText(timestamp.microseconds)}},"receivedAt":${numberText(entry.receivedAt)}`;
  if (entry.dataJson !== undefined) text += `,"dataJson":${JSON.stringify(entry.dataJson)}`;
  if (entry.marker !== undefined) text += `,"marker":${JSON.stringify(entry.marker)}`;
  return `${text}}`;
}
