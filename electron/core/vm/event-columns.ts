/**
 * The event log's storage: one typed-array column per number, and the data texts in a text arena.
 *
 * A million TimelineEvent objects cost about 200 bytes each in main (the entry, its timestamp
 * object, a boxed double for `receivedAt`, the data string), and being a million long-lived
 * objects they are copied into the old generation and walked by every major GC. Here an entry is
 * 57 bytes of columns plus its data text's bytes in a text arena (text-arena.ts), outside V8's
 * heap: the numbers live in Float64Arrays (exact for every double, as the objects were), VM ids
 * and event names are indexes into a table of names, and the marker kind is one byte. Objects
 * and strings are made only for what is read (a page, a push), and die young.
 *
 * Entries are addressed by position (0, 1, 2 … in the order they were written); a position's
 * slot is `position % capacity`, and the columns grow by doubling until they reach capacity, so
 * a small log costs little. The caller keeps positions within one lap of the ring.
 */
import { TimelineEventSchema, type TimelineEvent } from '../../common/models';
import { TextArena } from '../text-arena';
import type { MarkerKind } from './app-marker';

/** The marker column holds the kind's index here plus one; 0 is "not a marker". */
const MARKER_KINDS: readonly MarkerKind[] = TimelineEventSchema.shape.marker.unwrap().options;

/** Most distinct names a table keeps; past it (a peer inventing names) a name is kept per entry. */
const MAX_NAMES = 100_000;

/** First column length: room for a small log without growing. */
const FIRST_LENGTH = 1024;

/**
 * A copy of `text` that shares no memory with the string it came from.
 *
 * A name taken from a parsed 64 KB chunk can be a slice of that chunk's text; kept in the table
 * for the whole run, it would keep the chunk alive with it.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** VM ids and event names, one string each, by index. */
class NameTable {
  private readonly indexes = new Map<string, number>();
  private readonly names: string[] = [];
  /** The last name asked for and its index: a flood comes in runs from one VM. */
  private lastName = '';
  private lastIndex = -1;

  /** The name's index, or -1 when the table is full and the name is new to it. */
  public indexOf(name: string): number {
    if (name === this.lastName && this.lastIndex >= 0) return this.lastIndex;
    const known = this.indexes.get(name);
    if (known !== undefined) {
      this.lastName = name;
      this.lastIndex = known;
      return known;
    }
    if (this.names.length >= MAX_NAMES) return -1;
    const index = this.names.length;
    const kept = detached(name);
    this.names.push(kept);
    this.indexes.set(kept, index);
    return index;
  }

  public nameAt(index: number): string {
    return this.names[index]!;
  }
}

/** The columns of one ring; see the module comment. */
export class EventColumns {
  private length = 0;
  private seqs = new Float64Array(0);
  private seconds = new Float64Array(0);
  private micros = new Float64Array(0);
  private received = new Float64Array(0);
  private vms = new Int32Array(0);
  private events = new Int32Array(0);
  private markers = new Uint8Array(0);
  /** Where each data text lives in {@link texts}: chunk serial (-1: no data), offset, bytes; and its length in UTF-16 units. */
  private dataChunks = new Int32Array(0);
  private dataOffsets = new Int32Array(0);
  private dataBytes = new Int32Array(0);
  private dataLengths = new Int32Array(0);
  private readonly texts = new TextArena();
  /** Separate tables, so each keeps its own last name (a VM's run of events, one name after another). */
  private readonly vmNames = new NameTable();
  private readonly eventNames = new NameTable();
  /** Names the full table could not take, by slot (index -1 in their column). */
  private readonly rareVms = new Map<number, string>();
  private readonly rareEvents = new Map<number, string>();

  public constructor(private readonly capacity: number) {}

  /** Writes `entry` at `position` (its slot must be free: dropped, or never used); keeps no reference to the object. */
  public write(position: number, entry: TimelineEvent): void {
    const slot = position % this.capacity;
    if (slot >= this.length) this.grow(slot + 1);
    this.seqs[slot] = entry.seq;
    this.seconds[slot] = entry.timestamp.seconds;
    this.micros[slot] = entry.timestamp.microseconds;
    this.received[slot] = entry.receivedAt;
    const vm = this.vmNames.indexOf(entry.vmId);
    this.vms[slot] = vm;
    if (vm < 0) this.rareVms.set(slot, entry.vmId);
    const event = this.eventNames.indexOf(entry.event);
    this.events[slot] = event;
    if (event < 0) this.rareEvents.set(slot, entry.event);
    this.markers[slot] = entry.marker === undefined ? 0 : MARKER_KINDS.indexOf(entry.marker) + 1;
    const { dataJson } = entry;
    if (dataJson === undefined) {
      this.dataChunks[slot] = -1;
      this.dataLengths[slot] = 0;
    } else {
      const place = this.texts.write(dataJson);
      this.dataChunks[slot] = place.chunk;
      this.dataOffsets[slot] = place.offset;
      this.dataBytes[slot] = place.bytes;
      this.dataLengths[slot] = dataJson.length;
    }
  }

  /** Lets go of the strings of the entry at `position` (the numbers are simply overwritten later). */
  public release(position: number): void {
    const slot = position % this.capacity;
    const chunk = this.dataChunks[slot]!;
    if (chunk >= 0) this.texts.free(chunk);
    this.dataChunks[slot] = -1;
    if (this.vms[slot]! < 0) this.rareVms.delete(slot);
    if (this.events[slot]! < 0) this.rareEvents.delete(slot);
  }

  public seqAt(position: number): number {
    return this.seqs[position % this.capacity]!;
  }

  /** Length of the data text of the entry at `position` (0 without data). */
  public dataLengthAt(position: number): number {
    return this.dataLengths[position % this.capacity]!;
  }

  /** The entry at `position` as a TimelineEvent object of its own. */
  public entryAt(position: number): TimelineEvent {
    const slot = position % this.capacity;
    const vm = this.vms[slot]!;
    const event = this.events[slot]!;
    const entry: TimelineEvent = {
      seq: this.seqs[slot]!,
      vmId: vm >= 0 ? this.vmNames.nameAt(vm) : this.rareVms.get(slot)!,
      event: event >= 0 ? this.eventNames.nameAt(event) : this.rareEvents.get(slot)!,
      timestamp: { seconds: this.seconds[slot]!, microseconds: this.micros[slot]! },
      receivedAt: this.received[slot]!,
    };
    const chunk = this.dataChunks[slot]!;
    if (chunk >= 0) {
      const bytes = this.dataBytes[slot]!;
      entry.dataJson = this.texts.read(chunk, this.dataOffsets[slot]!, bytes, bytes === this.dataLengths[slot]);
    }
    const marker = this.markers[slot]!;
    if (marker !== 0) entry.marker = MARKER_KINDS[marker - 1]!;
    return entry;
  }

  /** Lengthens every column to hold `needed` slots: doubling, never past capacity. */
  private grow(needed: number): void {
    const length = Math.min(this.capacity, Math.max(needed, FIRST_LENGTH, this.length * 2));
    const longer = <T extends Float64Array | Int32Array | Uint8Array>(column: T, make: (n: number) => T): T => {
      const next = make(length);
      next.set(column);
      return next;
    };
    this.seqs = longer(this.seqs, (n) => new Float64Array(n));
    this.seconds = longer(this.seconds, (n) => new Float64Array(n));
    this.micros = longer(this.micros, (n) => new Float64Array(n));
    this.received = longer(this.received, (n) => new Float64Array(n));
    this.vms = longer(this.vms, (n) => new Int32Array(n));
    this.events = longer(this.events, (n) => new Int32Array(n));
    this.markers = longer(this.markers, (n) => new Uint8Array(n));
    this.dataChunks = longer(this.dataChunks, (n) => new Int32Array(n));
    this.dataOffsets = longer(this.dataOffsets, (n) => new Int32Array(n));
    this.dataBytes = longer(this.dataBytes, (n) => new Int32Array(n));
    this.dataLengths = longer(this.dataLengths, (n) => new Int32Array(n));
    this.length = length;
  }
}
