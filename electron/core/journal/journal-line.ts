/**
 * Checks one journal line's decoded value against the TimelineEvent shape, fast.
 *
 * A full journal is a million lines read at start-up; `TimelineEventSchema.safeParse` doubled
 * the load time (1.8 s of 5.7 s per million lines) by copying every object. This check accepts
 * exactly what the schema accepts (a unit test holds them together) and keeps the parsed object.
 */
import { TimelineEventSchema, type TimelineEvent } from '../../common/models';

const KEYS = new Set(Object.keys(TimelineEventSchema.shape));
const MARKERS: ReadonlySet<unknown> = new Set(TimelineEventSchema.shape.marker.unwrap().options);

/** The value as a TimelineEvent, or undefined when it is not one (or carries unknown members). */
export function asTimelineEvent(value: unknown): TimelineEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const key in v) if (!KEYS.has(key)) return undefined;
  const ts = v.timestamp as Record<string, unknown> | null | undefined;
  const ok =
    typeof v.seq === 'number' && Number.isSafeInteger(v.seq) && v.seq >= 0 &&
    typeof v.vmId === 'string' &&
    typeof v.event === 'string' &&
    typeof ts === 'object' && ts !== null && isFiniteNumber(ts.seconds) && isFiniteNumber(ts.microseconds) && Object.keys(ts).length === 2 &&
    isFiniteNumber(v.receivedAt) &&
    (v.dataJson === undefined || typeof v.dataJson === 'string') &&
    (v.marker === undefined || MARKERS.has(v.marker));
  return ok ? (value as TimelineEvent) : undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
