/**
 * The virtualised list of timeline rows: oldest at the top, newest at the bottom, following new
 * events (live tail) until the user scrolls away from the bottom.
 *
 * One listbox, one tab stop: Up/Down/Home/End/PageUp/PageDown move the active row (shown with
 * `aria-activedescendant` and a visible outline), Enter or a click opens it in the detail pane.
 * Only the rows in view exist in the DOM (fixed row height, see use-fixed-rows.ts), so a
 * million rows cost what thirty do. The active row is remembered by buffer position, so it
 * stays on the same event while rows arrive or drop off the front. While following, the rows
 * come from the two layers of use-staged-tail.ts instead of the scroll offset.
 */
import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { FilteredEvents } from './timeline-filter';
import { TimelineRow } from './timeline-row';
import { useFixedRows } from './use-fixed-rows';
import { useStagedTail, type TailRow } from './use-staged-tail';
import styles from './timeline.module.css';
import { groupedNumber } from '../../lib/format';

/** Pixel height of every row (the CSS uses the same value). */
export const ROW_HEIGHT = 26;

/** Within this distance of the bottom the list counts as "at the newest rows". */
const BOTTOM_SLACK = ROW_HEIGHT * 1.5;

/** What the list shows and reports. */
export interface TimelineListProps {
  readonly events: FilteredEvents;
  /** Names what `events` lets through (the filter's key): a new one is shown at once, not staged. */
  readonly filterKey: string;
  readonly vmName: (vmId: string) => string;
  /** Buffer position of the row open in the detail pane, or null. */
  readonly openPosition: number | null;
  readonly onOpen: (position: number | null) => void;
}

/** The id of a row's element, for `aria-activedescendant`. */
const rowId = (position: number) => `timeline-row-${position}`;

/** See the module comment. */
export function TimelineList({ events, filterKey, vmName, openPosition, onOpen }: TimelineListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [tailing, setTailing] = useState(true);
  const [pausedAt, setPausedAt] = useState(0);
  const [activePosition, setActivePosition] = useState<number | null>(null);
  const count = events.length;
  const rows = useFixedRows(scrollRef, count, ROW_HEIGHT, 12, tailing);
  // Following, the rows come from two layers that take turns (use-staged-tail.ts).
  const tail = useStagedTail(events, rows.pinnedRows, filterKey, tailing);
  const height = tail ? tail.end * ROW_HEIGHT : rows.totalHeight;

  // Tailing: whenever the list grows, show the newest row (before paint, so nothing flickers).
  // Its height follows the shown layer, so frames that only rebuild the hidden one scroll nothing.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (tailing && element && height > 0) element.scrollTop = element.scrollHeight;
  }, [tailing, height]);

  const { measure } = rows;
  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
    // Tailing, the rows come from the end, not the offset: the tail's own scroll after each
    // commit needs no second render.
    if (tailing && atBottom) return;
    measure();
    if (atBottom !== tailing) {
      setTailing(atBottom);
      if (!atBottom) setPausedAt(count);
    }
  }, [tailing, count, measure]);

  const jumpToNewest = () => {
    setTailing(true);
    const last = events.positionAt(count - 1);
    if (last !== undefined) setActivePosition(last);
  };

  const pick = useCallback(
    (position: number) => {
      setActivePosition(position);
      onOpen(openPosition === position ? null : position);
    },
    [openPosition, onOpen],
  );

  const activeIndex = activePosition === null ? -1 : events.indexOfPosition(activePosition);
  const moveTo = (index: number) => {
    if (count === 0) return;
    const clamped = Math.max(0, Math.min(count - 1, index));
    const position = events.positionAt(clamped);
    if (position === undefined) return;
    setActivePosition(position);
    if (clamped === count - 1) setTailing(true);
    else {
      if (tailing) setPausedAt(count);
      setTailing(false);
      rows.scrollToIndex(clamped);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const from = activeIndex >= 0 ? activeIndex : count - 1;
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: activeIndex >= 0 ? from - 1 : from,
      Home: 0,
      End: count - 1,
      PageDown: from + page,
      PageUp: from - page,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const position = activeIndex >= 0 ? activePosition : events.positionAt(count - 1);
      if (position === null || position === undefined) return;
      setActivePosition(position);
      onOpen(openPosition === position ? null : position);
    } else if (event.key === 'Escape' && openPosition !== null) {
      event.preventDefault();
      onOpen(null);
    }
  };

  // An active row that dropped off the front (or was filtered away) is forgotten (set during
  // render, as React advises for state that follows props: no extra commit).
  if (activePosition !== null && activeIndex < 0) setActivePosition(null);

  /**
   * One row: `slot` is its key (and, in a tail layer, its place). Only the active row in sight
   * gets an id (the one `aria-activedescendant` names): a tail layer trading places then
   * changes no row's props, so React renders none of them again for it.
   */
  const renderRow = ({ event, position }: TailRow, slot: number, inSight: boolean, top = slot * ROW_HEIGHT) => (
    <TimelineRow
      key={slot}
      id={inSight && position === activePosition ? rowId(position) : undefined}
      event={event}
      vmName={vmName(event.vmId)}
      top={top}
      active={position === activePosition}
      open={position === openPosition}
      position={position}
      onPick={pick}
    />
  );

  const newCount = tailing ? 0 : Math.max(0, count - pausedAt);
  const activeEvent = activeIndex >= 0 ? events.at(activeIndex) : undefined;
  return (
    <div className={styles.listFrame}>
      <div
        ref={scrollRef}
        className={styles.list}
        role="listbox"
        aria-label="Timeline events, oldest first"
        tabIndex={0}
        aria-activedescendant={activeEvent && activePosition !== null ? rowId(activePosition) : undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div className={styles.listInner} style={{ height }}>
          {tail
            ? tail.layers.map((layer, index) => {
                const shown = index === tail.shown;
                return (
                  <div
                    key={index}
                    className={styles.tailLayer}
                    // The hidden layer is laid out (that is the point) but not seen, not exposed
                    // and never hit: the shown one lies over it, the same size in the same place.
                    // Opacity and z-index, not visibility: visibility is inherited, so trading
                    // places restyled every row of both layers (about 400 elements, 6–30 ms a
                    // swap in a trace); these two restyle the layer alone.
                    style={{
                      transform: `translateY(${(tail.end - layer.length) * ROW_HEIGHT}px)`,
                      height: layer.length * ROW_HEIGHT,
                      opacity: shown ? 1 : 0,
                      zIndex: shown ? 1 : 0,
                    }}
                    aria-hidden={shown ? undefined : true}
                  >
                    {layer.map((row, slot) => row && renderRow(row, slot, shown))}
                  </div>
                );
              })
            : Array.from({ length: rows.end - rows.first }, (_, offset) => {
                const index = rows.first + offset;
                const event = events.at(index);
                const position = events.positionAt(index);
                if (!event || position === undefined) return null;
                // Keyed by slot, not by event: a row that leaves the view (scrolled past, filtered
                // away) lends its elements to the one that enters, so no element is made or dropped.
                return renderRow({ event, position }, index % rows.slots, true, index * ROW_HEIGHT);
              })}
        </div>
      </div>
      {newCount > 0 && (
        <button type="button" className={styles.newEvents} onClick={jumpToNewest}>
          {groupedNumber(newCount)} new {newCount === 1 ? 'event' : 'events'}: jump to newest
        </button>
      )}
    </div>
  );
}
