/**
 * Which rows of a fixed-row-height list are in view, by arithmetic on the scroll offset.
 *
 * The timeline used @tanstack/react-virtual, which re-measures every row whenever the row
 * count changes: with a million events that is a million-entry pass on each push while
 * tailing and on each filter change, tens of milliseconds per frame. Every timeline row has
 * the same height, so the rows in view are a division away and nothing per row is kept.
 *
 * While the list follows the newest rows (`pinnedToEnd`), the range is taken from the end, so
 * the commit that adds rows already renders the ones the scroll to the bottom will show.
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** The rows to render, `[first, end)`, and how tall the whole list is. */
export interface FixedRows {
  readonly first: number;
  readonly end: number;
  readonly totalHeight: number;
  /** Rows rendered while pinned to the end: those in view and a couple above them. */
  readonly pinnedRows: number;
  /** The most rows ever rendered at once: `index % slots` tells rendered rows apart (a stable key). */
  readonly slots: number;
  /** Reads the scroll offset and height again (call it from the element's scroll handler). */
  readonly measure: () => void;
  /** Scrolls the least distance that shows row `index` whole. */
  readonly scrollToIndex: (index: number) => void;
}

/** Rows rendered above the viewport while the list is pinned to its end (see {@link useFixedRows}). */
const PINNED_OVERSCAN = 2;

/** The first row at the top of the viewport and how many rows fit in it. */
interface Viewport {
  readonly topRow: number;
  readonly rows: number;
}

/** See the module comment; `overscan` rows are rendered beyond each edge of the viewport. */
export function useFixedRows(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number, pinnedToEnd: boolean): FixedRows {
  const [viewport, setViewport] = useState<Viewport>({ topRow: 0, rows: 0 });
  const measure = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const topRow = Math.floor(element.scrollTop / rowHeight);
    const rows = Math.ceil(element.clientHeight / rowHeight) + 1;
    setViewport((current) => (current.topRow === topRow && current.rows === rows ? current : { topRow, rows }));
  }, [scrollRef, rowHeight]);

  useLayoutEffect(() => {
    measure();
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrollRef, measure]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const top = index * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
      measure();
    },
    [scrollRef, rowHeight, measure],
  );

  const topRow = pinnedToEnd ? Math.max(0, count - viewport.rows) : Math.min(viewport.topRow, Math.max(0, count - viewport.rows + 1));
  // Pinned, the rows above the view are only there for the first scroll up, which unpins the
  // list and renders the full overscan: a flood replaces every row each frame, and these were
  // a quarter of the rows laid out.
  const above = pinnedToEnd ? Math.min(overscan, PINNED_OVERSCAN) : overscan;
  return {
    first: Math.max(0, topRow - above),
    end: Math.min(count, topRow + viewport.rows + overscan),
    totalHeight: count * rowHeight,
    pinnedRows: viewport.rows + Math.min(overscan, PINNED_OVERSCAN),
    slots: viewport.rows + 2 * overscan + 1,
    measure,
    scrollToIndex,
  };
}
