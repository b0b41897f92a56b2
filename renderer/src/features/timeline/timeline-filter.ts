/**
 * The timeline's filter and the list of events it lets through, kept up to date in O(change).
 *
 * A new filter scans the held events once (no sort: the buffer is already in time order), with
 * every check a table lookup of precomputed ids and free text searched in joined blocks (see
 * timeline-index.ts); new events with the same filter
 * are checked as they arrive, and dropped ones leave from the front. With no filter the list is
 * the buffer itself and nothing is copied.
 */

import type { TimelineEvent } from '../../../../electron/common/models';
import type { EventWindow } from '../../state/event-buffer';
import { EVENT_KINDS, type EventKind } from './event-kinds';
import type { TimeRange } from '../../lib/rate-buckets';
import type { IdTables, TimelineIndex } from './timeline-index';
import { PositionList } from './position-list';


/** What the user chose to see; empty sets mean "all". */
export interface TimelineFilter {
  readonly vmIds: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
  readonly kinds: ReadonlySet<EventKind>;
  /** Free text, matched case-insensitively against event names and data. */
  readonly text: string;
  /** From the rate strip: arrival time (`receivedAt`), the strip's clock. */
  readonly range: TimeRange | null;
  /** The app's own markers (connected, command sent, …) shown between QEMU's events. */
  readonly showMarkers: boolean;
}

/** Everything shown, markers included. */
export const NO_FILTER: TimelineFilter = { vmIds: new Set(), names: new Set(), kinds: new Set(), text: '', range: null, showMarkers: true };

/** True when the filter lets everything through (so the list is the buffer). */
export function isUnfiltered(filter: TimelineFilter): boolean {
  return filter.vmIds.size === 0 && filter.names.size === 0 && filter.kinds.size === 0 && filter.text.trim() === '' && filter.range === null && filter.showMarkers;
}

/** The events a filter lets through, oldest first; read with {@link FilteredEvents.at}. */
export interface FilteredEvents {
  /** How many pass. */
  readonly length: number;
  /** How many are held in all (the M of "N of M events"). */
  readonly total: number;
  /** The `index`-th event that passes. */
  at(index: number): TimelineEvent | undefined;
  /** The buffer position of the `index`-th event that passes (stable across pushes). */
  positionAt(index: number): number | undefined;
  /** The index of the event at buffer `position`, or -1 if it does not pass or is gone. */
  indexOfPosition(position: number): number;
}

/**
 * A text that identifies what a filter lets through: two filters with the same key show the
 * same events, whichever objects they are (the view builds a new object per render while the
 * user types, see timeline-view.tsx).
 */
export function filterKey(filter: TimelineFilter): string {
  const sorted = (set: ReadonlySet<string>) => JSON.stringify([...set].sort());
  const range = filter.range ? `${filter.range.fromMs}-${filter.range.toMs}` : '';
  return `${sorted(filter.vmIds)}|${sorted(filter.names)}|${sorted(filter.kinds)}|${range}|${filter.showMarkers}|${JSON.stringify(filter.text.trim().toLowerCase())}`;
}

/** A lookup table of `ids` (1 = allowed) sized for ids up to `size`; -1 (never seen) is left out. */
function table(ids: Iterable<number>, size: number): Uint8Array {
  const allowed = new Uint8Array(Math.max(1, size));
  for (const id of ids) if (id >= 0) allowed[id] = 1;
  return allowed;
}

/** What one filter checks: id tables for kind, name and VM, and the time range (which reads the event). */
interface Compiled {
  readonly tables: IdTables;
  readonly inRange: ((position: number) => boolean) | null;
}

/**
 * Turns `filter` into lookups of precomputed ids; only the time range (and the text search)
 * reads the event itself.
 */
function compile(filter: TimelineFilter, index: TimelineIndex, current: () => EventWindow | null): Compiled {
  const kinds =
    filter.kinds.size > 0 || !filter.showMarkers
      ? Uint8Array.from(EVENT_KINDS, (kind) => ((filter.kinds.size === 0 || filter.kinds.has(kind)) && (filter.showMarkers || kind !== 'marker') ? 1 : 0))
      : null;
  const nameIds = [...filter.names].map((name) => index.nameId(name));
  const vmIds = [...filter.vmIds].map((id) => index.vmIndex(id));
  const tables: IdTables = {
    kinds,
    names: filter.names.size > 0 ? table(nameIds, Math.max(0, ...nameIds) + 1) : null,
    vms: filter.vmIds.size > 0 ? table(vmIds, Math.max(0, ...vmIds) + 1) : null,
  };
  if (!filter.range) return { tables, inRange: null };
  const { fromMs, toMs } = filter.range;
  return {
    tables,
    inRange: (position) => {
      const receivedAt = current()?.atPosition(position)?.receivedAt ?? Number.NaN;
      return receivedAt >= fromMs && receivedAt <= toMs;
    },
  };
}

/**
 * Runs one filter over a buffer, incrementally while the filter keeps the same {@link filterKey}.
 *
 * Call {@link update} with each new window; it returns a view of what passes. A name filter
 * compiled before a name was first seen is recompiled when the index learns new names.
 */
export class EventFilterRunner {
  private key: string | null = null;
  /** The window being scanned, read by the compiled range check. */
  private window: EventWindow | null = null;
  private compiled: Compiled | null = null;
  private positions = new PositionList();
  private head = 0;
  private scannedEnd = 0;
  /** Names and VMs of the filter the index knew when it was compiled; new ones recompile it. */
  private known = '';

  constructor(private readonly index: TimelineIndex) {}

  /** The events of `window` that pass `filter`. */
  update(window: EventWindow, filter: TimelineFilter): FilteredEvents {
    this.index.sync(window);
    this.window = window;
    const windowEnd = window.start + window.length;
    if (isUnfiltered(filter)) {
      this.key = null;
      this.compiled = null;
      return unfilteredView(window);
    }
    const key = filterKey(filter);
    const known = `${[...filter.names].map((name) => this.index.nameId(name)).join()}|${[...filter.vmIds].map((id) => this.index.vmIndex(id)).join()}`;
    if (key !== this.key || this.compiled === null || windowEnd < this.scannedEnd || known !== this.known) {
      this.key = key;
      this.known = known;
      this.compiled = compile(filter, this.index, () => this.window);
      this.positions = new PositionList();
      this.head = 0;
      this.scannedEnd = window.start;
    }
    const { tables, inRange } = this.compiled;
    const from = Math.max(this.scannedEnd, window.start);
    const needle = filter.text.trim().toLowerCase();
    if (from >= windowEnd) {
      // Nothing new since the last update.
    } else if (needle !== '') {
      // Text first: it finds the few matches fast (see TimelineIndex.searchRange), then the rest checks those.
      const read = (position: number) => window.atPosition(position);
      const { index, positions } = this;
      this.index.searchRange(from, windowEnd, needle, read, (position) => {
        if (index.passes(position, tables) && (inRange === null || inRange(position))) positions.push(position);
      });
    } else {
      this.index.scan(from, windowEnd, tables, inRange, this.positions);
    }
    this.scannedEnd = windowEnd;
    this.dropBefore(window.start);
    return filteredView(window, this.positions.data, this.head, this.positions.length - this.head);
  }

  private dropBefore(start: number): void {
    const { length, data } = this.positions;
    if (this.head >= length || data[this.head]! >= start) return;
    let low = this.head;
    let high = length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (data[middle]! < start) low = middle + 1;
      else high = middle;
    }
    this.head = low;
    if (this.head > 65_536 && this.head * 2 > length) {
      this.positions.dropFront(this.head);
      this.head = 0;
    }
  }
}

function unfilteredView(window: EventWindow): FilteredEvents {
  return {
    length: window.length,
    total: window.length,
    at: (index) => window.at(index),
    positionAt: (index) => (index >= 0 && index < window.length ? window.start + index : undefined),
    indexOfPosition: (position) => (position >= window.start && position < window.start + window.length ? position - window.start : -1),
  };
}

function filteredView(window: EventWindow, positions: Float64Array, head: number, length: number): FilteredEvents {
  const positionAt = (index: number) => (index >= 0 && index < length ? positions[head + index] : undefined);
  return {
    length,
    total: window.length,
    at: (index) => {
      const position = positionAt(index);
      return position === undefined ? undefined : window.atPosition(position);
    },
    positionAt,
    indexOfPosition: (position) => {
      let low = head;
      let high = head + length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (positions[middle]! < position) low = middle + 1;
        else high = middle;
      }
      return low < head + length && positions[low] === position ? low - head : -1;
    },
  };
}
