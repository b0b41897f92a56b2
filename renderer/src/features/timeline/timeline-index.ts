/**
 * What the timeline derives from each held event, computed once per event and kept by position.
 *
 * Filtering a million events per keystroke cannot afford to classify each event or lowercase
 * its data again, nor to look each one up in a hash map: the kind and a name id are computed
 * when an event is first seen, in plain arrays indexed by the event's absolute position in the
 * buffer, and the lowercase search texts joined in blocks so that a search runs as native
 * `indexOf` over long strings. Joining a million texts takes most of a second, so a user's
 * first search must not be what builds them: {@link TimelineIndex.prepareSearch} builds the
 * blocks a few at a time in idle moments as events arrive (a search still builds whatever is
 * missing). The counts per event name (for the name filter) are kept up to date as events
 * arrive and drop.
 */
import type { TimelineEvent } from '../../../../electron/common/models';
import type { EventWindow } from '../../state/event-buffer';
import { EVENT_KINDS, KIND_INDEX, eventKind, type EventKind } from './event-kinds';
import type { PositionList } from './position-list';

/** The lowercase text a free-text filter searches: the event name, then its data as sent. */
export function searchTextOf(event: TimelineEvent): string {
  const text = event.dataJson === undefined ? event.event : `${event.event} ${event.dataJson}`;
  return text.toLowerCase();
}

/** Events per joined search-text block. */
const TEXT_BLOCK = 1024;

/** The search texts of up to {@link TEXT_BLOCK} consecutive events, joined by line breaks. */
interface TextBlock {
  /** Position of the first event in the block. */
  readonly first: number;
  /** Offset in `text` where each event's text starts. */
  readonly starts: Int32Array;
  readonly text: string;
}

/** Per id (kind index, name id, VM id), 1 when a filter lets it through; null lets every id through. */
export interface IdTables {
  readonly kinds: Uint8Array | null;
  readonly names: Uint8Array | null;
  readonly vms: Uint8Array | null;
}

/** Positional caches over one store's buffer; {@link sync} before reading. */
export class TimelineIndex {
  /** Absolute position of array slot `offset`. */
  private base = 0;
  private offset = 0;
  /** Absolute position one past the newest event seen. */
  private end = 0;
  private readonly kinds: number[] = [];
  private readonly nameIds: number[] = [];
  private readonly names: string[] = [];
  private readonly nameIdOf = new Map<string, number>();
  private readonly nameCounts: number[] = [];
  private readonly vmIndexes: number[] = [];
  /** Joined search texts by block start position; see {@link searchRange}. */
  private readonly blocks = new Map<number, TextBlock>();
  /** Every full block below this position is built (see {@link prepareSearch}). */
  private preparedEnd = 0;
  private readonly vmIndexOf = new Map<string, number>();
  /** Changes when the counts do; memo key for the name list. */
  private revision = 0;
  private window: EventWindow | null = null;

  /** Takes in the events of `window` not seen yet and forgets those it no longer holds. O(change). */
  sync(window: EventWindow): void {
    if (this.window === window) return;
    const windowEnd = window.start + window.length;
    if (windowEnd < this.end) this.reset(window.start); // a window of another buffer (or older): start over
    this.window = window;
    if (window.start > this.end) this.reset(window.start);
    this.dropBefore(window.start);
    for (let position = this.end; position < windowEnd; position++) this.add(window.atPosition(position)!);
    this.end = windowEnd;
  }

  /** The kind of the event at `position` (after {@link sync}). */
  kindAt(position: number): EventKind {
    return EVENT_KINDS[this.kinds[this.slot(position)] ?? KIND_INDEX.other]!;
  }

  /** The kind's index in {@link EVENT_KINDS}, for fast filtering. */
  kindIndexAt(position: number): number {
    return this.kinds[this.slot(position)]!;
  }

  /** The name id of the event at `position`, for fast filtering by name. */
  nameIdAt(position: number): number {
    return this.nameIds[this.slot(position)]!;
  }

  /** The id of an event name, or -1 if no held event ever had it. */
  nameId(name: string): number {
    return this.nameIdOf.get(name) ?? -1;
  }

  /**
   * Appends to `into` each position in `[from, to)` whose kind, name and VM the tables allow
   * (a table is indexed by id, 1 = allowed; null allows all) and that `also` (if any) passes.
   *
   * One tight loop over the plain id arrays: a million events in a few milliseconds, where a
   * chain of per-check closures took tens.
   */
  scan(from: number, to: number, tables: IdTables, also: ((position: number) => boolean) | null, into: PositionList): void {
    const { kinds, names, vms } = tables;
    const { base } = this;
    const kindIds = this.kinds;
    const nameIds = this.nameIds;
    const vmIds = this.vmIndexes;
    for (let position = from; position < to; position++) {
      const slot = position - base;
      if (kinds !== null && kinds[kindIds[slot]!] !== 1) continue;
      if (names !== null && names[nameIds[slot]!] !== 1) continue;
      if (vms !== null && vms[vmIds[slot]!] !== 1) continue;
      if (also !== null && !also(position)) continue;
      into.push(position);
    }
  }

  /** True when the event at `position` passes `tables` (see {@link scan}). */
  passes(position: number, tables: IdTables): boolean {
    const slot = position - this.base;
    const { kinds, names, vms } = tables;
    return (kinds === null || kinds[this.kinds[slot]!] === 1) && (names === null || names[this.nameIds[slot]!] === 1) && (vms === null || vms[this.vmIndexes[slot]!] === 1);
  }

  /**
   * Calls `found` with each position in `[from, to)` whose search text holds `needle`, in order.
   *
   * The texts are kept joined per block of {@link TEXT_BLOCK} events, so a search is a few
   * `indexOf` calls per block (fast native string search) instead of one call per event; a
   * block is built ahead in idle time ({@link prepareSearch}) or else the first time a search
   * reaches it, and only the newest, still-filling block is ever rebuilt.
   */
  searchRange(from: number, to: number, needle: string, read: (position: number) => TimelineEvent | undefined, found: (position: number) => void): void {
    const safeNeedle = needle.replace(/\n/g, ' ');
    for (let blockStart = from - (from % TEXT_BLOCK); blockStart < to; blockStart += TEXT_BLOCK) {
      const block = this.block(blockStart, read);
      const { text, starts, first } = block;
      const lastIndex = starts.length - 1;
      let low = Math.max(0, Math.min(lastIndex, from - first));
      let at = text.indexOf(safeNeedle, starts[low] ?? 0);
      while (at >= 0) {
        // The event whose text holds `at`: the last start at or before it. Matches come in
        // order, so the walk only moves forward: O(block) per block however many match.
        while (low < lastIndex && starts[low + 1]! <= at) low++;
        const position = first + low;
        if (position >= to) break;
        if (position >= from) found(position);
        const next = starts[low + 1];
        if (next === undefined) break;
        at = text.indexOf(safeNeedle, next);
      }
    }
  }

  /**
   * Builds, oldest first, the full text blocks no search has built yet, while `more()` says
   * there is time; returns true when blocks are left to build. The newest, still-filling
   * block is left to the search that reaches it.
   */
  prepareSearch(more: () => boolean): boolean {
    const window = this.window;
    if (window === null) return false;
    const read = (position: number) => window.atPosition(position);
    let blockStart = Math.max(this.preparedEnd, this.base + this.offset);
    blockStart -= blockStart % TEXT_BLOCK;
    for (; blockStart + TEXT_BLOCK <= this.end; blockStart += TEXT_BLOCK) {
      if (!more()) break;
      this.block(blockStart, read);
      this.preparedEnd = blockStart + TEXT_BLOCK;
    }
    return blockStart + TEXT_BLOCK <= this.end;
  }

  private block(blockStart: number, read: (position: number) => TimelineEvent | undefined): TextBlock {
    const heldFirst = this.base + this.offset;
    const first = Math.max(blockStart, heldFirst);
    const end = Math.min(blockStart + TEXT_BLOCK, this.end);
    const cached = this.blocks.get(blockStart);
    if (cached && cached.first <= first && cached.first + cached.starts.length >= end) return cached;
    const parts: string[] = [];
    const starts = new Int32Array(Math.max(0, end - first));
    let length = 0;
    for (let position = first; position < end; position++) {
      const event = read(position);
      const text = event === undefined ? '' : searchTextOf(event).replace(/\n/g, ' ');
      starts[position - first] = length;
      parts.push(text);
      length += text.length + 1;
    }
    const block: TextBlock = { first, starts, text: parts.join('\n') };
    this.blocks.set(blockStart, block);
    return block;
  }

  /** The id of the VM of the event at `position`. */
  vmIndexAt(position: number): number {
    return this.vmIndexes[this.slot(position)]!;
  }

  /** The id of a VM, or -1 if no held event came from it. */
  vmIndex(vmId: string): number {
    return this.vmIndexOf.get(vmId) ?? -1;
  }

  /** Every event name held, with how many held events carry it, most frequent first. */
  nameCountList(): ReadonlyArray<{ readonly name: string; readonly count: number }> {
    const list: Array<{ name: string; count: number }> = [];
    this.names.forEach((name, id) => {
      const count = this.nameCounts[id] ?? 0;
      if (count > 0) list.push({ name, count });
    });
    return list.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }

  /** Changes whenever the counts do. */
  get countsRevision(): number {
    return this.revision;
  }

  private slot(position: number): number {
    return position - this.base;
  }

  private add(event: TimelineEvent): void {
    let id = this.nameIdOf.get(event.event);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(event.event);
      this.nameIdOf.set(event.event, id);
      this.nameCounts.push(0);
    }
    this.nameCounts[id]!++;
    this.nameIds.push(id);
    let vm = this.vmIndexOf.get(event.vmId);
    if (vm === undefined) this.vmIndexOf.set(event.vmId, (vm = this.vmIndexOf.size));
    this.vmIndexes.push(vm);
    this.kinds.push(KIND_INDEX[eventKind(event.event, event.marker)]);
    this.revision++;
  }

  private dropBefore(start: number): void {
    const firstHeld = this.base + this.offset;
    if (start <= firstHeld) return;
    for (let slot = this.offset; slot < start - this.base; slot++) {
      this.nameCounts[this.nameIds[slot]!]!--;
    }
    this.offset = start - this.base;
    this.revision++;
    for (const blockStart of this.blocks.keys()) if (blockStart + TEXT_BLOCK <= start) this.blocks.delete(blockStart);
    // Compact once half the arrays are dead, so dropping stays amortised O(1) per event.
    if (this.offset > 65_536 && this.offset * 2 > this.kinds.length) {
      this.kinds.splice(0, this.offset);
      this.nameIds.splice(0, this.offset);
      this.vmIndexes.splice(0, this.offset);
      this.base += this.offset;
      this.offset = 0;
    }
  }

  private reset(start: number): void {
    this.kinds.length = 0;
    this.nameIds.length = 0;
    this.vmIndexes.length = 0;
    this.blocks.clear();
    this.nameCounts.fill(0);
    this.base = start;
    this.offset = 0;
    this.end = start;
    this.preparedEnd = start;
    this.revision++;
  }
}
