/**
 * The web bridge's compact form of a list of timeline entries: one array per member instead of
 * one object per entry, each VM id and event name written once per message.
 *
 * During a flood the page reads 100,000 entries a second. As objects, a push of 2,000 flood
 * entries is 486 KB of JSON and Chromium's `JSON.parse` took 2.8 ms of the page's main thread
 * for it; as columns it is 201 KB and took 1.1 ms (a page reading 300 such pushes from a `ws`
 * server); writing it on the server takes 1.7 ms instead of 4.7 ms (Node 20). Only the bridge
 * uses this form: the client turns it back into the contract's `events` before anything else
 * sees the message, so the IPC contract stays one shape.
 */
import { numberText } from './event-json';
import type { TimelineEvent } from './models';

/** The member that carries compact entries in place of `events`. */
export const COMPACT_EVENTS_KEY = 'eventColumns';

/** Entries joined into one piece of text: a column of a 50,000-entry page is written in pieces, never as one large string. */
const PIECE_ENTRIES = 1024;

/** The app's marker names (TimelineEventSchema's `marker`): a compact list naming another is refused. */
const MARKERS: ReadonlySet<string> = new Set(['connected', 'disconnected', 'reconnect', 'command', 'share']);

/** Writes `[…]` of `text(i)` for every entry, through `add`, a piece at a time. */
function writeColumn(add: (text: string) => void, count: number, text: (index: number) => string): void {
  add('[');
  const piece: string[] = [];
  for (let start = 0; start < count; start += PIECE_ENTRIES) {
    const end = Math.min(count, start + PIECE_ENTRIES);
    piece.length = 0;
    for (let i = start; i < end; i += 1) piece.push(text(i));
    add(start === 0 ? piece.join(',') : `,${piece.join(',')}`);
  }
  add(']');
}

/**
 * Writes `events` as the JSON object that {@link readCompactEvents} reads back, through `add`
 * (pieces of whole JSON text, so a caller can copy them into pooled chunks as they come):
 * `names` (VM ids and event names), `seq` (differences, the first from 0), `vm` and `event`
 * (indexes into `names`), `seconds`, `microseconds`, `receivedAt`, `data` (the data text, or 0
 * when the entry has none) and `marker` (its name, or 0).
 */
export function writeCompactEvents(events: readonly TimelineEvent[], add: (text: string) => void): void {
  const names = new Map<string, number>();
  const nameIndex = (name: string): string => {
    let index = names.get(name);
    if (index === undefined) {
      index = names.size;
      names.set(name, index);
    }
    return String(index);
  };
  const count = events.length;
  add('{"seq":');
  writeColumn(add, count, (i) => numberText(i === 0 ? events[0]!.seq : events[i]!.seq - events[i - 1]!.seq));
  add(',"vm":');
  writeColumn(add, count, (i) => nameIndex(events[i]!.vmId));
  add(',"event":');
  writeColumn(add, count, (i) => nameIndex(events[i]!.event));
  add(',"seconds":');
  writeColumn(add, count, (i) => numberText(events[i]!.timestamp.seconds));
  add(',"microseconds":');
  writeColumn(add, count, (i) => numberText(events[i]!.timestamp.microseconds));
  add(',"receivedAt":');
  writeColumn(add, count, (i) => numberText(events[i]!.receivedAt));
  add(',"data":');
  writeColumn(add, count, (i) => {
    const data = events[i]!.dataJson;
    return data === undefined ? '0' : JSON.stringify(data);
  });
  add(',"marker":');
  writeColumn(add, count, (i) => {
    const marker = events[i]!.marker;
    return marker === undefined ? '0' : JSON.stringify(marker);
  });
  add(`,"names":${JSON.stringify([...names.keys()])}}`);
}

/** Thrown by {@link readCompactEvents} for anything {@link writeCompactEvents} cannot have written. */
export class MalformedCompactEvents extends Error {}

/** `value[key]` as an array of `count` entries (or, without `count`, of any length). */
function column(value: Record<string, unknown>, key: string, count?: number): unknown[] {
  const found = value[key];
  if (!Array.isArray(found)) throw new MalformedCompactEvents(`compact events: "${key}" is not an array`);
  if (count !== undefined && found.length !== count) throw new MalformedCompactEvents(`compact events: "${key}" holds ${found.length} entries, "seq" ${count}`);
  return found;
}

/**
 * One entry with exactly the members it has, each in the object's literal: as `JSON.parse`
 * makes them, every member in the object itself (one added later would take a second
 * allocation per entry, at a million entries held).
 */
function entryOf(seq: number, vmId: string, event: string, timestamp: TimelineEvent['timestamp'], receivedAt: number, dataJson?: string, marker?: TimelineEvent['marker']): TimelineEvent {
  if (marker === undefined) return dataJson === undefined ? { seq, vmId, event, timestamp, receivedAt } : { seq, vmId, event, timestamp, receivedAt, dataJson };
  return dataJson === undefined ? { seq, vmId, event, timestamp, receivedAt, marker } : { seq, vmId, event, timestamp, receivedAt, dataJson, marker };
}

/**
 * The entries that {@link writeCompactEvents} wrote, parsed from JSON: the same objects
 * (members absent where they were). Throws {@link MalformedCompactEvents} for any other shape,
 * so a broken message is refused whole rather than read as wrong entries.
 */
export function readCompactEvents(value: unknown): TimelineEvent[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedCompactEvents('compact events: not an object');
  const record = value as Record<string, unknown>;
  const seqs = column(record, 'seq');
  const count = seqs.length;
  const [vms, names, seconds, micros, received, data, markers] = ['vm', 'event', 'seconds', 'microseconds', 'receivedAt', 'data', 'marker'].map((key) =>
    column(record, key, count),
  ) as [unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[]];
  const table = column(record, 'names');
  const name = (index: unknown, member: string): string => {
    const found = typeof index === 'number' ? table[index] : undefined;
    if (typeof found !== 'string') throw new MalformedCompactEvents(`compact events: "${member}" names no string of "names"`);
    return found;
  };
  const number = (found: unknown, member: string): number => {
    if (found === null) return Number.NaN; // A non-finite number, written as JSON.stringify writes it.
    if (typeof found !== 'number') throw new MalformedCompactEvents(`compact events: "${member}" holds a non-number`);
    return found;
  };
  const events = new Array<TimelineEvent>(count);
  let seq = 0;
  for (let i = 0; i < count; i += 1) {
    seq += number(seqs[i], 'seq');
    const text = data[i];
    if (typeof text !== 'string' && text !== 0) throw new MalformedCompactEvents('compact events: "data" holds neither a text nor 0');
    const marker = markers[i];
    if (marker !== 0 && !(typeof marker === 'string' && MARKERS.has(marker))) throw new MalformedCompactEvents('compact events: "marker" holds neither a marker name nor 0');
    events[i] = entryOf(
      seq,
      name(vms[i], 'vm'),
      name(names[i], 'event'),
      { seconds: number(seconds[i], 'seconds'), microseconds: number(micros[i], 'microseconds') },
      number(received[i], 'receivedAt'),
      text === 0 ? undefined : text,
      marker === 0 ? undefined : (marker as TimelineEvent['marker']),
    );
  }
  return events;
}

/**
 * `body` as the contract has it: a `getEvents` result or an `events` push whose entries came in
 * the compact form gets them back as `events`; any other body is returned as it is. The bridge's
 * clients call this on every answer's result and push's payload. Throws
 * {@link MalformedCompactEvents} for a compact form that does not read back.
 */
export function withEventsRead(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !(COMPACT_EVENTS_KEY in body)) return body;
  const { [COMPACT_EVENTS_KEY]: compact, ...rest } = body as Record<string, unknown>;
  return { events: readCompactEvents(compact), ...rest };
}
