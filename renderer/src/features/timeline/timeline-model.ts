/**
 * The timeline's derived data for one store, kept in step with every push whether or not the
 * Timeline view is open: the per-event index, the rate strip's per-second counts and the
 * filter runner.
 *
 * Outside React on purpose: each push costs O(batch) here (never a render), and opening the
 * view finds everything already counted, so the strip shows the minutes before it was opened.
 */
import type { EventWindow } from '../../state/event-buffer';
import { addToRateCounts, createRateCounts } from './rate-strip';
import { EventFilterRunner, type FilteredEvents, type TimelineFilter } from './timeline-filter';
import { TimelineIndex } from './timeline-index';

/** See the module comment. */
export class TimelineModel {
  readonly index = new TimelineIndex();
  readonly counts = createRateCounts();
  private readonly runner = new EventFilterRunner(this.index);
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

  /** What `filter` lets through of `window`. */
  filtered(window: EventWindow, filter: TimelineFilter): FilteredEvents {
    this.sync(window);
    return this.runner.update(window, filter);
  }
}
