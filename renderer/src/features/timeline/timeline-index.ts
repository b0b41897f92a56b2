/**
 * What the timeline derives from each held event, computed once per event and kept by position.
 *
 * Filtering a million events per keystroke cannot afford to classify each event or lowercase
 * its data again, nor to look each one up in a hash map: the kind and a name id are computed
 * when an event is first seen, in plain arrays indexed by the event's absolute position in the
 * buffer, and the lowercase search texts the first time a text filter needs them, joined in
 * blocks so that a search runs as native `indexOf` over long strings. The
 * counts per event name (for the name filter) are kept up to date as events arrive and drop.
 */
import type { TimelineEvent } from '../../../../electron/common/models';
import type { EventWindow } from '../../state/event-buffer';
import { EVENT_KINDS, KIND_INDEX, eventKind, type EventKind } from './event-kinds';

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
  readonly starts: readonly number[];
  readonly text: string;
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
   * Calls `found` with each position in `[from, to)` whose search text holds `needle`, in order.
   *
   * The texts are kept joined per block of {@link TEXT_BLOCK} events, so a search is a few
   * `indexOf` calls per block (fast native string search) instead of one call per event; a
   * block is built the first time a search reaches it, and only the newest, still-filling
   * block is ever rebuilt.
   */
  searchRange(from: number, to: number, needle: string, read: (position: number) => TimelineEvent | undefined, found: (position: number) => void): void {
    const safeNeedle = needle.replace(/\n/g, ' ');
    for (let blockStart = from - (from % TEXT_BLOCK); blockStart < to; blockStart += TEXT_BLOCK) {
      const block = this.block(blockStart, read);
      const { text, starts, first } = block;
      const lastIndex = starts.length - 1;
      let at = text.indexOf(safeNeedle, starts[Math.max(0, Math.min(lastIndex, from - first))] ?? 0);
      while (at >= 0) {
        // The event whose text holds `at`: the last start at or before it.
        let low = 0;
        let high = lastIndex;
        while (low < high) {
          const middle = (low + high + 1) >>> 1;
          if (starts[middle]! <= at) low = middle;
          else high = middle - 1;
        }
        const position = first + low;
        if (position >= to) break;
        if (position >= from) found(position);
        const next = starts[low + 1];
        if (next === undefined) break;
        at = text.indexOf(safeNeedle, next);
      }
    }
  }

  private block(blockStart: number, read: (position: number) => TimelineEvent | undefined): TextBlock {
    const heldFirst = this.base + this.offset;
    const first = Math.max(blockStart, heldFirst);
    const end = Math.min(blockStart + TEXT_BLOCK, this.end);
    const cached = this.blocks.get(blockStart);
    if (cached && cached.first <= first && cached.first + cached.starts.length >= end) return cached;
    const parts: string[] = [];
    const starts: number[] = [];
    let length = 0;
    for (let position = first; position < end; position++) {
      const event = read(position);
      const text = event === undefined ? '' : searchTextOf(event).replace(/\n/g, ' ');
      starts.push(length);
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
    this.revision++;
  }
}
