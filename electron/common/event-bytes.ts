/**
 * How much memory one timeline entry is counted as: one rule for the core's event log, the
 * events push and pages, and the renderer's event buffer, so each byte bound means the same.
 *
 * A count bound alone fails on big events: a million 4 KB events are 4 GB. The data text is
 * counted at one byte per character (QMP sends ASCII), plus a fixed share for the entry object,
 * its timestamp object and its slot in the buffer.
 */
import type { TimelineEvent } from './models';

/** The fixed share of {@link accountedBytes}. */
export const ENTRY_OVERHEAD_BYTES = 160;

/** What `entry` counts against a byte bound or budget. */
export function accountedBytes(entry: Pick<TimelineEvent, 'dataJson'>): number {
  return accountedBytesOfData(entry.dataJson?.length ?? 0);
}

/** The same for an entry whose data text is `dataLength` long (the core's log holds no entry objects to ask). */
export function accountedBytesOfData(dataLength: number): number {
  return ENTRY_OVERHEAD_BYTES + dataLength;
}
