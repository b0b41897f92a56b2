/**
 * Events per second over a sliding window, for the little activity chart.
 *
 * The rate is counted as events arrive, into per-second buckets per VM, and not derived from
 * the renderer's event buffer: that buffer keeps only the newest few thousand events, so a
 * flood of a million events in a minute read as "5000 in 60 s".
 */
import type { TimelineEvent } from '../../../electron/common/models';

/** Arrivals of one VM: whole second of `receivedAt` (epoch s) → how many events. */
export type VmArrivals = Readonly<Record<number, number>>;
/** Arrivals of every VM, by VM id. */
export type ArrivalCounts = Readonly<Record<string, VmArrivals>>;

/** Seconds of buckets kept per VM behind its newest arrival (twice the chart's minute). */
export const ARRIVAL_KEEP_SECONDS = 120;

/**
 * Adds `events` (each counted once, by the caller's dedup) to `current`; returns a new value.
 *
 * Buckets use the time the app received each event rather than QEMU's timestamp, so a guest
 * clock that jumps cannot bend the chart. Only VMs present in `events` are copied, and their
 * buckets older than {@link ARRIVAL_KEEP_SECONDS} are dropped, so the cost per batch stays small.
 */
export function countArrivals(current: ArrivalCounts, events: readonly TimelineEvent[]): ArrivalCounts {
  if (events.length === 0) return current;
  const touched = new Map<string, Record<number, number>>();
  for (const event of events) {
    // QEMU's events only: the app's own markers (connected, commands) are not the VM's traffic.
    if (event.marker !== undefined) continue;
    let buckets = touched.get(event.vmId);
    if (!buckets) {
      buckets = { ...current[event.vmId] };
      touched.set(event.vmId, buckets);
    }
    const second = Math.floor(event.receivedAt / 1000);
    buckets[second] = (buckets[second] ?? 0) + 1;
  }
  const next: Record<string, VmArrivals> = { ...current };
  for (const [vmId, buckets] of touched) {
    const seconds = Object.keys(buckets).map(Number);
    const oldestKept = Math.max(...seconds) - ARRIVAL_KEEP_SECONDS;
    for (const second of seconds) if (second < oldestKept) delete buckets[second];
    next[vmId] = buckets;
  }
  return next;
}

/**
 * One VM's events in `buckets` one-second slots, oldest first, the last one holding `now`.
 *
 * The last slot is still filling; it is shown anyway so an event appears on the chart at once.
 */
export function eventsPerSecond(arrivals: VmArrivals | undefined, now: number, buckets = 60): number[] {
  const counts = new Array<number>(buckets).fill(0);
  if (!arrivals) return counts;
  const firstSecond = Math.floor(now / 1000) - buckets + 1;
  for (let slot = 0; slot < buckets; slot++) counts[slot] = arrivals[firstSecond + slot] ?? 0;
  return counts;
}
