/**
 * The live tail's rows, drawn in two layers: one shown, the other rebuilt a few rows per frame
 * out of sight and then shown in its place.
 *
 * While a flood is followed every row in view changes every frame, and laying out thirty rows
 * of new text is most of a frame's work: in Chromium on the 2-core test machine a frame with
 * the rows took 19 ms of main-thread work against 5.7 ms without them (a 20,000 events/s flood,
 * traced), so the page drew 30 frames a second instead of 60. Here each frame lays out a part
 * of the rows (in the hidden layer, which is laid out but not seen), and when it is complete
 * the layers trade places, which costs a paint and no layout.
 *
 * How big a part depends on the pace. New rows after a quiet spell (nothing shown for
 * {@link QUIET_MS}) take {@link STAGE_FRAMES} frames, about 70 ms. While rows keep coming, each
 * layer takes {@link FLOOD_STAGE_FRAMES} frames, so the rows on screen change about five times
 * a second: rows replaced fifteen times a second cannot be read either, and each frame then
 * lays out a twelfth of them instead of a quarter (in a 20,000 events/s flood the page drew
 * 424 frames in 10 s instead of 366, frame p95 66 against 79 ms, one run each).
 *
 * A new filter, a new viewport height or the start of following shows its rows at once: those
 * are the user's own actions, and the list must answer them in the same frame.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { TimelineEvent } from '../../../../electron/common/models';
import type { FilteredEvents } from './timeline-filter';

/** Frames a layer takes to be rebuilt after a quiet spell (each frame lays out 1/STAGE_FRAMES of the rows). */
export const STAGE_FRAMES = 4;
/** Frames a layer takes while rows keep coming (see the module comment). */
export const FLOOD_STAGE_FRAMES = 12;
/** A tail that has shown no new rows for this long (ms) is quiet: its next rows come quickly. */
export const QUIET_MS = 250;

/** One row of a layer: the event and its buffer position. */
export interface TailRow {
  readonly event: TimelineEvent;
  readonly position: number;
}

/** What one layer shows: its rows, oldest first, ending with the event at index `end - 1`. */
export interface TailLayer {
  readonly rows: readonly TailRow[];
  /** How many events the list held when the layer's rows were taken (its scroll extent). */
  readonly end: number;
}

/** The two layers and which is shown. */
export interface StagedTail {
  /** What each layer renders now, slot by slot (the hidden one partly rebuilt). */
  readonly layers: readonly [readonly (TailRow | undefined)[], readonly (TailRow | undefined)[]];
  /** The layer on screen. */
  readonly shown: 0 | 1;
  /** The shown layer's extent: the list's height in rows while following. */
  readonly end: number;
}

/** The newest `slots` events of `events`. */
function takeTail(events: FilteredEvents, slots: number): TailLayer {
  const end = events.length;
  const rows: TailRow[] = [];
  for (let index = Math.max(0, end - slots); index < end; index++) {
    const event = events.at(index);
    const position = events.positionAt(index);
    if (event !== undefined && position !== undefined) rows.push({ event, position });
  }
  return { rows, end };
}

/** Whether `layer` shows the newest rows `events` holds. */
function isCurrent(layer: TailLayer, events: FilteredEvents): boolean {
  return layer.end === events.length && layer.rows.at(-1)?.position === events.positionAt(events.length - 1);
}

/** Where the layers stand; a new object for every change (see {@link step}). */
export interface Stage {
  readonly key: string;
  readonly slots: number;
  readonly shown: 0 | 1;
  readonly layers: readonly [TailLayer, TailLayer];
  /** The rows being built into the hidden layer, and how many of its slots have them so far. */
  readonly next: TailLayer | null;
  readonly filled: number;
  /** Slots the build fills per frame (set when it starts, from the pace). */
  readonly perFrame: number;
  /** When the layers last traded places (a frame's time, ms). */
  readonly swappedAt: number;
}

/** A stage showing the newest rows of `events` at once. */
export function freshStage(events: FilteredEvents, slots: number, key: string): Stage {
  return { key, slots, shown: 0, layers: [takeTail(events, slots), { rows: [], end: 0 }], next: null, filled: 0, perFrame: slots, swappedAt: Number.NEGATIVE_INFINITY };
}

/**
 * One frame's work at frame time `now`: start rebuilding the hidden layer, go on with it, or
 * trade places; null when there is none.
 */
export function step(stage: Stage, events: FilteredEvents, now: number): Stage | null {
  const hidden = stage.shown === 0 ? 1 : 0;
  let { next, filled, perFrame } = stage;
  if (next === null) {
    if (isCurrent(stage.layers[stage.shown], events)) return null;
    next = takeTail(events, stage.slots);
    filled = 0;
    perFrame = Math.ceil(stage.slots / (now - stage.swappedAt >= QUIET_MS ? STAGE_FRAMES : FLOOD_STAGE_FRAMES));
  }
  filled += perFrame;
  if (filled < stage.slots) return { ...stage, next, filled, perFrame };
  const layers: [TailLayer, TailLayer] = hidden === 0 ? [next, stage.layers[1]] : [stage.layers[0], next];
  return { ...stage, layers, shown: hidden, next: null, filled: 0, perFrame, swappedAt: now };
}

/** Slot `slot` of a layer's rows, right-aligned: the newest row is always in the last slot. */
function slotted(rows: readonly TailRow[], slots: number): (TailRow | undefined)[] {
  return Array.from({ length: slots }, (_, slot) => rows[rows.length - slots + slot]);
}

/**
 * See the module comment. `slots` is how many rows a layer holds (the viewport's and a couple
 * more); `key` names what `events` holds (the filter), and a new one shows its rows at once.
 * Inactive (the list is not following), it keeps nothing and asks for no frames.
 */
export function useStagedTail(events: FilteredEvents, slots: number, key: string, active: boolean): StagedTail | null {
  const [stage, setStage] = useState<Stage | null>(null);
  let current = stage;
  if (!active) current = null;
  else if (current === null || current.key !== key || current.slots !== slots) current = freshStage(events, slots, key);
  // Adjusted during render, as React advises for state that follows props: no extra commit.
  if (current !== stage) setStage(current);

  // What a frame works on: the newest committed stage and events (frames come after commits).
  const committed = useRef<{ stage: Stage | null; events: FilteredEvents }>({ stage: current, events });
  useLayoutEffect(() => {
    committed.current = { stage: current, events };
  });

  // One loop of frames while there is work, started again by new events (never restarted
  // while it runs: a render each frame must not push its frame back).
  const loop = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!active || loop.current !== undefined) return;
    const run = (now: number): void => {
      loop.current = undefined;
      const { stage: from, events: latest } = committed.current;
      const next = from === null ? null : step(from, latest, now);
      if (next === null) return;
      committed.current = { stage: next, events: latest };
      // Rendered in this frame, not in a task after it: the rows it changes are laid out once, with the frame.
      flushSync(() => setStage(next));
      loop.current = requestAnimationFrame(run);
    };
    loop.current = requestAnimationFrame(run);
  }, [active, events, key, slots]);
  useEffect(
    () => () => {
      if (loop.current !== undefined) cancelAnimationFrame(loop.current);
      loop.current = undefined;
    },
    [],
  );

  if (current === null) return null;
  const hidden = current.shown === 0 ? 1 : 0;
  const shownRows = slotted(current.layers[current.shown].rows, slots);
  const oldRows = slotted(current.layers[hidden].rows, slots);
  const nextRows = current.next === null ? oldRows : slotted(current.next.rows, slots);
  // The hidden layer's first `filled` slots have the new rows; the rest keep what they had, so
  // their rows render with the same props and React leaves their elements alone.
  const filled = current.filled;
  const building = oldRows.map((row, slot) => (slot < filled ? nextRows[slot] : row));
  const layers: [(TailRow | undefined)[], (TailRow | undefined)[]] = current.shown === 0 ? [shownRows, building] : [building, shownRows];
  return { layers, shown: current.shown, end: current.layers[current.shown].end };
}
