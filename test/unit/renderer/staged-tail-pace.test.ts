import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import type { FilteredEvents } from '../../../renderer/src/features/timeline/timeline-filter';
import { FLOOD_STAGE_FRAMES, QUIET_MS, STAGE_FRAMES, freshStage, step, type Stage } from '../../../renderer/src/features/timeline/use-staged-tail';

/** The first `count` events of an endless stream, event i at buffer position i. */
function eventsUpTo(count: number): FilteredEvents {
  const event = (index: number): TimelineEvent => ({ seq: index, vmId: 'vm1', event: 'STOP', timestamp: { seconds: index, microseconds: 0 }, receivedAt: index * 1000, data: {} }) as TimelineEvent;
  return {
    length: count,
    total: count,
    at: (index) => (index >= 0 && index < count ? event(index) : undefined),
    positionAt: (index) => (index >= 0 && index < count ? index : undefined),
    indexOfPosition: (position) => (position >= 0 && position < count ? position : -1),
  };
}

const FRAME_MS = 1000 / 60;
const SLOTS = 36;

/** Runs frames from `stage` at 60 Hz with `perFrame` new events a frame; returns the frame numbers of the swaps and the last stage. */
function run(stage: Stage, start: { frame: number; events: number }, frames: number, perFrame: number): { swaps: number[]; stage: Stage; events: number } {
  const swaps: number[] = [];
  let events = start.events;
  for (let frame = start.frame; frame < start.frame + frames; frame++) {
    events += perFrame;
    const next = step(stage, eventsUpTo(events), frame * FRAME_MS);
    if (next === null) continue;
    if (next.shown !== stage.shown) swaps.push(frame);
    stage = next;
  }
  return { swaps, stage, events };
}

describe('the staged tail’s pace', () => {
  it('shows new rows after a quiet spell within STAGE_FRAMES frames', () => {
    const stage = freshStage(eventsUpTo(100), SLOTS, 'all');
    const { swaps, stage: after } = run(stage, { frame: 0, events: 100 }, 1, 1);
    // The first new event: built over STAGE_FRAMES frames (this one included).
    const rest = run(after, { frame: 1, events: 101 }, 20, 0);
    expect([...swaps, ...rest.swaps]).toEqual([STAGE_FRAMES - 1]);
    expect(rest.stage.layers[rest.stage.shown].end).toBe(101);
  });

  it('trades layers once per FLOOD_STAGE_FRAMES frames while rows keep coming, and the shown rows are never more than two builds old', () => {
    const { swaps, stage, events } = run(freshStage(eventsUpTo(1_000), SLOTS, 'all'), { frame: 0, events: 1_000 }, 240, 1_600);
    const gaps = swaps.slice(1).map((frame, index) => frame - swaps[index]!);
    expect(gaps.length).toBeGreaterThan(10);
    // The first build follows a quiet start; every later one is paced.
    expect(swaps[0]).toBe(STAGE_FRAMES - 1);
    for (const gap of gaps) expect(gap).toBe(FLOOD_STAGE_FRAMES);
    const shownEnd = stage.layers[stage.shown].end;
    expect(events - shownEnd).toBeLessThanOrEqual(2 * FLOOD_STAGE_FRAMES * 1_600);
  });

  it('goes back to the quick pace once the tail has been quiet for QUIET_MS', () => {
    const flood = run(freshStage(eventsUpTo(1_000), SLOTS, 'all'), { frame: 0, events: 1_000 }, 60, 100);
    const settled = run(flood.stage, { frame: 60, events: flood.events }, 30, 0);
    const quietFrames = Math.ceil(QUIET_MS / FRAME_MS) + 1;
    const later = run(settled.stage, { frame: 90 + quietFrames, events: settled.events }, 1, 1);
    const rest = run(later.stage, { frame: 91 + quietFrames, events: later.events }, 20, 0);
    expect([...later.swaps, ...rest.swaps]).toEqual([90 + quietFrames + STAGE_FRAMES - 1]);
  });
});
