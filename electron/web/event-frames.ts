/**
 * The bridge's text messages that carry timeline entries (a `getEvents` page, an `events` push),
 * written piece by piece into pooled chunks instead of through one `JSON.stringify` of the message,
 * with the entries in the bridge's compact form (common/compact-events.ts).
 *
 * A catch-up page is up to 50,000 entries, 8 MB of the core's accounting: as one string it was
 * about 10 MB in V8's large-object space, which only a major GC frees, and `ws` then copied it
 * into a buffer anyway. During a flood those pages made hundreds of MB of main's RSS. Here each
 * piece is a small string that dies young, copied once into a chunk (core/chunked-text.ts).
 */
import { COMPACT_EVENTS_KEY, writeCompactEvents } from '../common/compact-events';
import type { TimelineEvent } from '../common/models';
import { ChunkedText } from '../core/chunked-text';

/**
 * The UTF-8 text of the message `outer` with `body` added as its member `key`, where `body`'s
 * `events` array of timeline entries is written as its compact form under
 * {@link COMPACT_EVENTS_KEY}; the rest is what `JSON.stringify({ ...outer, [key]: body })` says.
 */
export function framedWithEvents(outer: Readonly<Record<string, unknown>>, key: string, body: { readonly events: readonly TimelineEvent[] }): ChunkedText {
  const { events, ...rest } = body;
  const outerText = JSON.stringify(outer);
  const restText = JSON.stringify(rest);
  const text = new ChunkedText();
  text.add(`${outerText.length > 2 ? `${outerText.slice(0, -1)},` : '{'}${JSON.stringify(key)}:{${JSON.stringify(COMPACT_EVENTS_KEY)}:`);
  writeCompactEvents(events, (piece) => text.add(piece));
  text.add(`${restText.length > 2 ? `,${restText.slice(1)}` : '}'}}`);
  return text;
}
