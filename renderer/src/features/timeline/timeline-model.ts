/**
 * The timeline's derived data for one store, kept in step with every push whether or not the
 * Timeline view is open: the per-event index, the rate strip's per-second counts and the
 * filter runners.
 *
 * Outside React on purpose: each push costs O(batch) here (never a render), and opening the
 * view finds everything already counted, so the strip shows the minutes before it was opened.
 */
import type { EventWindow } from '../../state/event-buffer';
import { addToRateCounts, createRateCounts } from './rate-strip';
import { EventFilterRunner, filterKey, isUnfiltered, type FilteredEvents, type TimelineFilter } from './timeline-filter';
import { TimelineIndex } from './timeline-index';

/**
 * Filters whose results are kept (each up to date in O(change) when next asked): the one shown
 * and the one before it, so going back a step (clearing the filter just set, a new filter
 * object with the same content) costs no rescan of a million events; each kept result may
 * hold a position per event, so no more are kept.
 */
const KEPT_FILTERS = 2;

/** See the module comment. */
export class TimelineModel {
  readonly index = new TimelineIndex();
  readonly counts = createRateCounts();
  /** By {@link filterKey}, least recently used first. */
  private readonly runners = new Map<string, EventFilterRunner>();
  /** Passes everything through (no copy); kept apart so it never evicts a real filter. */
  private readonly all = new EventFilterRunner(this.index);
  private countedEnd = 0;
  private window: EventWindow | null = null;

  /** Counts and indexes what `window` holds beyond what was seen. */
  sync(window: EventWindow): void {
    if (window === this.window) return;
    this.window = window;
    const end = window.start + window.length;
    if (end < this.countedEnd) {
      this.counts.clear();
      this.countedEnd = window.start;
    }
    const fresh = [];
    for (let position = Math.max(this.countedEnd, window.start); position < end; position++) fresh.push(window.atPosition(position)!);
    addToRateCounts(this.counts, fresh);
    this.countedEnd = end;
    this.index.sync(window);
  }

  /**
   * Builds search text while `more()` says there is time (an idle moment); returns true when
   * some is left. See TimelineIndex.prepareSearch.
   */
  prepareSearch(more: () => boolean): boolean {
    return this.index.prepareSearch(more);
  }

  /** What `filter` lets through of `window`. */
  filtered(window: EventWindow, filter: TimelineFilter): FilteredEvents {
    this.sync(window);
    if (isUnfiltered(filter)) return this.all.update(window, filter);
    const key = filterKey(filter);
    let runner = this.runners.get(key);
    if (runner) this.runners.delete(key);
    else runner = new EventFilterRunner(this.index);
    this.runners.set(key, runner);
    for (const old of this.runners.keys()) {
      if (this.runners.size <= KEPT_FILTERS) break;
      this.runners.delete(old);
    }
    return runner.update(window, filter);
  }
}
