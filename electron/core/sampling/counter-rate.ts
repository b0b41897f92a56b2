/**
 * Turns two readings of a growing counter into a rate, or null where none is honest.
 *
 * One rule for every chart: no previous reading (first sample, or the first after a gap) and
 * a counter that went backwards (QEMU restarted, a device replaced) give null, never a spike.
 */

/** Per second rate of `counter` between two readings `ms` apart, scaled by `scale`. */
export function counterRate(previous: number | undefined, current: number | undefined, ms: number, scale = 1): number | null {
  if (previous === undefined || current === undefined || ms <= 0 || current < previous) return null;
  return ((current - previous) * scale * 1000) / ms;
}
