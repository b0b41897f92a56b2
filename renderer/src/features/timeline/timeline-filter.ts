/**
 * The timeline's filter and the list of events it lets through, kept up to date in O(change).
 *
 * A new filter scans the held events once (no sort: the buffer is already in time order), with
 * every check on precomputed values and free text searched in joined blocks (see
 * timeline-index.ts); new events with the same filter
 * are checked as they arrive, and dropped ones leave from the front. With no filter the list is
 * the buffer itself and nothing is copied.
 */

import type { TimelineEvent } from '../../../../electron/common/models';
import type { EventWindow } from '../../state/event-buffer';
import { EVENT_KINDS, type EventKind } from './event-kinds';
import type { TimeRange } from '../../lib/rate-buckets';
import type { TimelineIndex } from './timeline-index';


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

type Predicate = (position: number) => boolean;

/**
 * Builds the one-pass check for `filter`; every set is turned into a lookup of precomputed
 * ids first, and only the time range and a first text search read the event itself.
 */
function compile(filter: TimelineFilter, index: TimelineIndex, current: () => EventWindow | null): Predicate {
  const read = (position: number) => current()?.atPosition(position);
  const checks: Predicate[] = [];
  if (filter.vmIds.size > 0) {
    const ids = new Set([...filter.vmIds].map((id) => index.vmIndex(id)));
    checks.push((position) => ids.has(index.vmIndexAt(position)));
  }
  if (filter.kinds.size > 0 || !filter.showMarkers) {
    const allowed = EVENT_KINDS.map((kind) => (filter.kinds.size === 0 || filter.kinds.has(kind)) && (filter.showMarkers || kind !== 'marker'));
    checks.push((position) => allowed[index.kindIndexAt(position)]!);
  }
  if (filter.names.size > 0) {
    const ids = new Set([...filter.names].map((name) => index.nameId(name)));
    checks.push((position) => ids.has(index.nameIdAt(position)));
  }
  if (filter.range) {
    const { fromMs, toMs } = filter.range;
    checks.push((position) => {
      const receivedAt = read(position)?.receivedAt ?? Number.NaN;
      return receivedAt >= fromMs && receivedAt <= toMs;
    });
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (position) => {
    for (const check of checks) if (!check(position)) return false;
    return true;
  };
}

/**
 * Runs one filter over a buffer, incrementally while the filter stays the same object.
 *
 * Call {@link update} with each new window; it returns a view of what passes. A name filter
 * compiled before a name was first seen is recompiled when the index learns new names.
 */
export class EventFilterRunner {
  private filter: TimelineFilter | null = null;
  /** The window being scanned, read by the compiled predicate. */
  private window: EventWindow | null = null;
  private predicate: Predicate | null = null;
  private positions: number[] = [];
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
      this.filter = filter;
      this.predicate = null;
      return unfilteredView(window);
    }
    const known = `${[...filter.names].map((name) => this.index.nameId(name)).join()}|${[...filter.vmIds].map((id) => this.index.vmIndex(id)).join()}`;
    if (filter !== this.filter || this.predicate === null || windowEnd < this.scannedEnd || known !== this.known) {
      this.filter = filter;
      this.known = known;
      this.predicate = compile(filter, this.index, () => this.window);
      this.positions = [];
      this.head = 0;
      this.scannedEnd = window.start;
    }
    const predicate = this.predicate;
    const from = Math.max(this.scannedEnd, window.start);
    const needle = filter.text.trim().toLowerCase();
    if (needle !== '') {
      // Text first: it finds the few matches fast (see TimelineIndex.searchRange), then the rest checks those.
      const read = (position: number) => window.atPosition(position);
      this.index.searchRange(from, windowEnd, needle, read, (position) => {
        if (predicate(position)) this.positions.push(position);
      });
    } else {
      for (let position = from; position < windowEnd; position++) if (predicate(position)) this.positions.push(position);
    }
    this.scannedEnd = windowEnd;
    this.dropBefore(window.start);
    return filteredView(window, this.positions, this.head, this.positions.length - this.head);
  }

  private dropBefore(start: number): void {
    const { positions } = this;
    if (this.head >= positions.length || positions[this.head]! >= start) return;
    let low = this.head;
    let high = positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (positions[middle]! < start) low = middle + 1;
      else high = middle;
    }
    this.head = low;
    if (this.head > 65_536 && this.head * 2 > positions.length) {
      this.positions = positions.slice(this.head);
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

function filteredView(window: EventWindow, positions: readonly number[], head: number, length: number): FilteredEvents {
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
