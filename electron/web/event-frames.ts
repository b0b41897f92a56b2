/**
 * The bridge's messages that carry timeline entries (a `getEvents` page, an `events` push), as
 * binary frames (common/compact-events.ts) written piece by piece into pooled chunks instead of
 * through one `JSON.stringify` of the message.
 *
 * A catch-up page is up to 50,000 entries, 8 MB of the core's accounting: as one string it was
 * about 10 MB in V8's large-object space, which only a major GC frees, and `ws` then copied it
 * into a buffer anyway. During a flood those pages made hundreds of MB of main's RSS. Here the
 * columns are copied once into a chunk and each JSON piece is a small string that dies young
 * (core/chunked-text.ts).
 */
import { COMPACT_EVENTS_KEY, encodeCompactEvents } from '../common/compact-events';
import type { TimelineEvent } from '../common/models';
import { ChunkedText } from '../core/chunked-text';

/**
 * The frame of the message `outer` with `body` added as its member `key`, where `body`'s
 * `events` are written in the compact form under {@link COMPACT_EVENTS_KEY}; the rest of the
 * message is what `JSON.stringify({ ...outer, [key]: body })` says. Send it as one binary message.
 */
export function framedWithEvents(outer: Readonly<Record<string, unknown>>, key: string, body: { readonly events: readonly TimelineEvent[] }): ChunkedText {
  const { events, ...rest } = body;
  const outerText = JSON.stringify(outer);
  const restText = JSON.stringify(rest);
  const compact = encodeCompactEvents(events);
  const text = new ChunkedText();
  text.addBytes(compact.numbers);
  text.add(`${outerText.length > 2 ? `${outerText.slice(0, -1)},` : '{'}${JSON.stringify(key)}:{${JSON.stringify(COMPACT_EVENTS_KEY)}:`);
  compact.writeJson((piece) => text.add(piece));
  text.add(`${restText.length > 2 ? `,${restText.slice(1)}` : '}'}}`);
  return text;
}
