/**
 * Pure merging of timeline events into a bounded, seq-ordered buffer.
 *
 * The renderer subscribes to the `events` push before it asks for the backlog, so the same
 * event can arrive twice (once pushed, once in `getEvents`) and out of order. Merging by `seq`
 * makes start-up and reload lossless without caring which answer came first.
 */
import type { TimelineEvent } from '../../../electron/common/models';

/** How many events the renderer keeps; older ones fall off the front. */
export const DEFAULT_EVENT_CAPACITY = 5_000;

/**
 * Returns `current` plus `incoming`, sorted by seq, without duplicates, at most `capacity` long.
 *
 * The common case (a push newer than everything held) is a plain append; anything else falls
 * back to a full merge. `current` is returned unchanged when nothing new arrived, so
 * subscribers can compare by identity.
 */
export function mergeEvents(
  current: readonly TimelineEvent[],
  incoming: readonly TimelineEvent[],
  capacity = DEFAULT_EVENT_CAPACITY,
): readonly TimelineEvent[] {
  if (incoming.length === 0) return current;
  const lastSeq = current.length > 0 ? current[current.length - 1]!.seq : -1;
  let merged: TimelineEvent[];
  if (isStrictlyAscendingAfter(incoming, lastSeq)) {
    merged = current.concat(incoming);
  } else {
    const bySeq = new Map<number, TimelineEvent>();
    for (const event of current) bySeq.set(event.seq, event);
    let added = false;
    for (const event of incoming) {
      if (!bySeq.has(event.seq)) {
        bySeq.set(event.seq, event);
        added = true;
      }
    }
    if (!added) return current;
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > capacity ? merged.slice(merged.length - capacity) : merged;
}

function isStrictlyAscendingAfter(events: readonly TimelineEvent[], after: number): boolean {
  let previous = after;
  for (const event of events) {
    if (event.seq <= previous) return false;
    previous = event.seq;
  }
  return true;
}

/** The newest `limit` events of one VM, newest first (for the status panel's short list). */
export function recentEventsFor(events: readonly TimelineEvent[], vmId: string, limit: number): TimelineEvent[] {
  const found: TimelineEvent[] = [];
  for (let i = events.length - 1; i >= 0 && found.length < limit; i--) {
    const event = events[i]!;
    if (event.vmId === vmId) found.push(event);
  }
  return found;
}
