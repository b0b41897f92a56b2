/**
 * The web bridge's compact form of a list of timeline entries: a binary frame whose numbers are
 * typed-array columns and whose texts are JSON.
 *
 * During a flood the page reads 100,000 entries a second, and before this the entries went as
 * JSON columns: the server wrote every number and every data text as JSON (1.6 µs an entry in a
 * micro-benchmark of 2,000 flood entries on Node 20; 1.6 s of the core's CPU for the flood's
 * million) and the page's `JSON.parse` read them back (0.86 s of its main thread). Here the
 * numbers are copied into typed arrays, the data texts are joined and written as JSON once per
 * 1,024 entries, and the whole frame costs 0.28 µs an entry to write; the page reads the numbers
 * as views on the frame's bytes. The data stays JSON text (not UTF-8 bytes) so that any string
 * reads back exactly, lone surrogates included. Only the bridge uses this form: the client turns
 * it back into the contract's `events` before anything else sees the message, so the IPC
 * contract stays one shape.
 *
 * A frame is `[u32 count][u32 0x01020304][f64 seq, seconds, microseconds, receivedAt][i32 vm,
 * event, marker, data length]` (each column `count` long, in the writer's byte order, which the
 * second word shows; the bridge is loopback, so reader and writer share it) and then the UTF-8
 * JSON of the message, whose body holds `eventColumns: {"names": […], "data": […]}` in place of
 * `events`: `vm` and `event` index `names`, `marker` is 0 or the marker's place in the schema's
 * list plus one, and each entry's data is the next `data length` UTF-16 units of the joined
 * `data` pieces (-1: none).
 */
import { TimelineEventSchema, type TimelineEvent } from './models';

/** The member that carries compact entries in place of `events`. */
export const COMPACT_EVENTS_KEY = 'eventColumns';

/** The app's markers; the `marker` column holds a place in this list plus one, 0 for none. */
const MARKERS: readonly NonNullable<TimelineEvent['marker']>[] = TimelineEventSchema.shape.marker.unwrap().options;
const MARKER_INDEX = new Map(MARKERS.map((marker, index) => [marker, index + 1]));

/** Entries whose data texts are joined into one JSON string: a 50,000-entry page is never one large string. */
const PIECE_ENTRIES = 1024;
/** The frame's second word, read in the reader's byte order: this value says the writer's was the same. */
const BYTE_ORDER_MARK = 0x01020304;
/** Bytes before the columns: the count and the byte-order mark. */
const PREFIX_BYTES = 8;
/** Bytes of one entry's columns: four doubles and four 32-bit integers. */
const ENTRY_BYTES = 48;

/** Thrown for anything {@link encodeCompactEvents} cannot have written; the message is refused whole. */
export class MalformedCompactEvents extends Error {}

/** Reused between frames (writing one is synchronous): a push does not allocate its columns anew. */
let scratch = new ArrayBuffer(0);

/** Where each column starts in a frame of `count` entries, in units of its own element. */
function columnsOf(buffer: ArrayBuffer, byteOffset: number, count: number) {
  const doubles = new Float64Array(buffer, byteOffset + PREFIX_BYTES, 4 * count);
  const ints = new Int32Array(buffer, byteOffset + PREFIX_BYTES + 32 * count, 4 * count);
  return { doubles, ints };
}

/** One frame's compact entries: its binary start, and the writer of its JSON member. */
export interface CompactEvents {
  /** The frame's first bytes (count, byte order, columns): a view valid until the next encode. */
  readonly numbers: Uint8Array;
  /** Writes the `eventColumns` member's value (`{"names":…,"data":…}`) through `add`, in pieces. */
  readonly writeJson: (add: (text: string) => void) => void;
}

/**
 * The compact form of `events` (see the module comment). The caller writes `numbers` first and
 * then the message's JSON, with `writeJson` for the value of {@link COMPACT_EVENTS_KEY}.
 */
export function encodeCompactEvents(events: readonly TimelineEvent[]): CompactEvents {
  const count = events.length;
  const size = PREFIX_BYTES + ENTRY_BYTES * count;
  if (scratch.byteLength < size) scratch = new ArrayBuffer(Math.max(size, 2 * scratch.byteLength));
  const head = new Uint32Array(scratch, 0, 2);
  head[0] = count;
  head[1] = BYTE_ORDER_MARK;
  const { doubles, ints } = columnsOf(scratch, 0, count);
  const names = new Map<string, number>();
  const nameIndex = (name: string): number => {
    let index = names.get(name);
    if (index === undefined) {
      index = names.size;
      names.set(name, index);
    }
    return index;
  };
  const pieces: string[] = [];
  let piece: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const entry = events[i]!;
    doubles[i] = entry.seq;
    doubles[count + i] = entry.timestamp.seconds;
    doubles[2 * count + i] = entry.timestamp.microseconds;
    doubles[3 * count + i] = entry.receivedAt;
    ints[i] = nameIndex(entry.vmId);
    ints[count + i] = nameIndex(entry.event);
    ints[2 * count + i] = entry.marker === undefined ? 0 : (MARKER_INDEX.get(entry.marker) ?? 0);
    const data = entry.dataJson;
    ints[3 * count + i] = data === undefined ? -1 : data.length;
    if (data !== undefined) piece.push(data);
    if (piece.length === PIECE_ENTRIES) {
      pieces.push(JSON.stringify(piece.join('')));
      piece = [];
    }
  }
  if (piece.length > 0) pieces.push(JSON.stringify(piece.join('')));
  return {
    numbers: new Uint8Array(scratch, 0, size),
    writeJson: (add) => {
      add(`{"names":${JSON.stringify([...names.keys()])},"data":[`);
      pieces.forEach((text, index) => add(index === 0 ? text : `,${text}`));
      add(']}');
    },
  };
}

/** A frame's columns, attached to the `eventColumns` member it read (JSON cannot make one). */
class FrameColumns {
  public constructor(
    public readonly count: number,
    public readonly doubles: Float64Array,
    public readonly ints: Int32Array,
  ) {}
}

/**
 * A binary frame from the bridge as its message, parsed: the body member (`payload` or
 * `result`) that holds {@link COMPACT_EVENTS_KEY} gets the frame's columns beside its names and
 * data, for {@link withEventsRead}. Throws {@link MalformedCompactEvents} when the bytes are no
 * such frame.
 */
export function parseEventFrame(frame: ArrayBuffer | Uint8Array): unknown {
  // Typed views need their element alignment: a Node Buffer may start anywhere in its pool.
  const bytes = frame instanceof Uint8Array ? (frame.byteOffset % 8 === 0 ? frame : new Uint8Array(frame)) : new Uint8Array(frame);
  if (bytes.byteLength < PREFIX_BYTES) throw new MalformedCompactEvents('compact events: the frame is shorter than its prefix');
  const [count, mark] = new Uint32Array(bytes.buffer, bytes.byteOffset, 2) as unknown as [number, number];
  if (mark !== BYTE_ORDER_MARK) throw new MalformedCompactEvents('compact events: the frame is in another byte order or is not one');
  const jsonStart = PREFIX_BYTES + ENTRY_BYTES * count;
  if (jsonStart > bytes.byteLength) throw new MalformedCompactEvents(`compact events: the frame is too short for ${count} entries`);
  let message: unknown;
  try {
    message = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(jsonStart)));
  } catch (error) {
    throw new MalformedCompactEvents(`compact events: the frame's message is not JSON (${(error as Error).message})`);
  }
  const body = bodyOf(message);
  if (body === undefined) throw new MalformedCompactEvents(`compact events: the frame's message holds no "${COMPACT_EVENTS_KEY}"`);
  const compact = body[COMPACT_EVENTS_KEY];
  if (typeof compact !== 'object' || compact === null || Array.isArray(compact)) throw new MalformedCompactEvents(`compact events: "${COMPACT_EVENTS_KEY}" is not an object`);
  const { doubles, ints } = columnsOf(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
  (compact as Record<string, unknown>).columns = new FrameColumns(count, doubles, ints);
  return message;
}

/** The message's `payload` or `result` when it carries compact entries. */
function bodyOf(message: unknown): Record<string, unknown> | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  for (const key of ['payload', 'result']) {
    const body = (message as Record<string, unknown>)[key];
    if (typeof body === 'object' && body !== null && COMPACT_EVENTS_KEY in body) return body;
  }
  return undefined;
}

/** `value[key]` as an array of strings. */
function strings(value: Record<string, unknown>, key: string): string[] {
  const found = value[key];
  if (!Array.isArray(found) || !found.every((item) => typeof item === 'string')) throw new MalformedCompactEvents(`compact events: "${key}" is not a list of texts`);
  return found;
}

/**
 * `value` as a 32-bit integer when it is one (and not -0), else as it is: the same number.
 *
 * A number read from a Float64Array and stored in an object field makes V8 keep that field as
 * a boxed double, a heap object of its own per entry, even when the value is a small integer; an
 * integer stored as such stays unboxed, as `JSON.parse` leaves it. For a seq and QEMU's
 * microseconds that is 11 MB less of the page's heap per million events (measured in the flood
 * bench: 232 against 243 MB), and fewer objects for every young-generation collection to copy.
 */
function smallInteger(value: number): number {
  const integer = value | 0;
  return integer === value && (integer !== 0 || 1 / value > 0) ? integer : value;
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
 * The entries that {@link encodeCompactEvents} wrote, from the `eventColumns` value that
 * {@link parseEventFrame} gave: the same objects (members absent where they were). Throws
 * {@link MalformedCompactEvents} for any other shape (columns that came in a text message
 * included), so a broken message is refused whole rather than read as wrong entries.
 */
export function readCompactEvents(value: unknown): TimelineEvent[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedCompactEvents('compact events: not an object');
  const record = value as Record<string, unknown>;
  const columns = record.columns;
  if (!(columns instanceof FrameColumns)) throw new MalformedCompactEvents('compact events: no columns came with them (they travel in a binary frame)');
  const table = strings(record, 'names');
  const data = strings(record, 'data').join('');
  const { count, doubles, ints } = columns;
  const name = (index: number, member: string): string => {
    const found = table[index];
    if (found === undefined) throw new MalformedCompactEvents(`compact events: "${member}" names no string of "names"`);
    return found;
  };
  const events = new Array<TimelineEvent>(count);
  let dataAt = 0;
  for (let i = 0; i < count; i += 1) {
    const markerIndex = ints[2 * count + i]!;
    const marker = markerIndex === 0 ? undefined : MARKERS[markerIndex - 1];
    if (markerIndex !== 0 && marker === undefined) throw new MalformedCompactEvents('compact events: "marker" holds neither a marker nor 0');
    const dataLength = ints[3 * count + i]!;
    if (dataLength < -1 || dataAt + dataLength > data.length) throw new MalformedCompactEvents('compact events: a data length runs past "data"');
    const text = dataLength < 0 ? undefined : data.slice(dataAt, dataAt + dataLength);
    if (dataLength > 0) dataAt += dataLength;
    events[i] = entryOf(
      smallInteger(doubles[i]!),
      name(ints[i]!, 'vm'),
      name(ints[count + i]!, 'event'),
      { seconds: smallInteger(doubles[count + i]!), microseconds: smallInteger(doubles[2 * count + i]!) },
      doubles[3 * count + i]!,
      text,
      marker,
    );
  }
  if (dataAt !== data.length) throw new MalformedCompactEvents('compact events: "data" holds more than the entries use');
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

/**
 * One bridge message as a Node client (the CLI's tests, the benchmarks) gets it from `ws`: JSON
 * text, or a binary frame whose entries are read back as `events`. Throws for either that does
 * not read.
 */
export function readBridgeMessage(data: Uint8Array, isBinary: boolean): Record<string, unknown> {
  if (!isBinary) return JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;
  const message = parseEventFrame(data) as Record<string, unknown>;
  const key = 'payload' in message ? 'payload' : 'result';
  return { ...message, [key]: withEventsRead(message[key]) };
}
