/**
 * Events per second over a sliding window, for the little activity chart.
 */
import type { TimelineEvent } from '../../../electron/common/models';

/**
 * Counts one VM's events in `buckets` one-second slots ending at `now` (oldest first).
 *
 * Uses the time the app received each event rather than QEMU's timestamp, so a guest clock
 * that jumps cannot bend the chart. Walks backwards and stops at the window's start, so the
 * cost is the number of recent events, not the buffer size.
 */
export function eventsPerSecond(events: readonly TimelineEvent[], vmId: string, now: number, buckets = 60): number[] {
  const counts = new Array<number>(buckets).fill(0);
  const start = now - buckets * 1000;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.receivedAt < start) break;
    if (event.vmId !== vmId || event.receivedAt >= now) continue;
    const slot = Math.floor((event.receivedAt - start) / 1000);
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}
