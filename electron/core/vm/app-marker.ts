/**
 * The app's own notes on the timeline (connected, disconnected, commands sent, share clients),
 * before the event log gives them a seq. Kept apart from the event log so code that only makes
 * markers (and the renderer's tests of their summaries) does not pull in the log's Node-only storage.
 */
import type { TimelineEvent } from '../../common/models';
import type { JsonObject } from '../../common/json-text';

/** Kinds of the app's own markers (see `TimelineEvent.marker`). */
export type MarkerKind = NonNullable<TimelineEvent['marker']>;

/** One of the app's own notes, before it gets a seq. */
export interface AppMarker {
  readonly marker: MarkerKind;
  /** Name for people: `connected`, `disconnected`, `reconnecting`, or the command's name. */
  readonly event: string;
  /** Details, stored as lossless JSON text in `dataJson`. */
  readonly data: JsonObject;
}
