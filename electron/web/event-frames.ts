/**
 * The bridge's text messages that carry timeline entries (a `getEvents` page, an `events` push),
 * written entry by entry into pooled chunks instead of through one `JSON.stringify` of the message.
 *
 * A catch-up page is up to 50,000 entries, 8 MB of the core's accounting: as one string it was
 * about 10 MB in V8's large-object space, which only a major GC frees, and `ws` then copied it
 * into a buffer anyway. During a flood those pages made hundreds of MB of main's RSS. Here each
 * entry's text (common/event-json.ts, the journal's rule too) is a small string that dies young,
 * copied once into a chunk (core/chunked-text.ts); the message says what JSON.stringify said.
 */
import { timelineEventJson } from '../common/event-json';
import type { TimelineEvent } from '../common/models';
import { ChunkedText } from '../core/chunked-text';

/**
 * The UTF-8 text of the message `outer` with `body` added as its member `key`, where `body` holds
 * an `events` array of timeline entries: the same JSON as `JSON.stringify({ ...outer, [key]: body })`
 * (only the `events` member comes first inside `body`, which JSON readers do not see).
 */
export function framedWithEvents(outer: Readonly<Record<string, unknown>>, key: string, body: { readonly events: readonly TimelineEvent[] }): ChunkedText {
  const { events, ...rest } = body;
  const outerText = JSON.stringify(outer);
  const restText = JSON.stringify(rest);
  const text = new ChunkedText();
  text.add(`${outerText.length > 2 ? `${outerText.slice(0, -1)},` : '{'}${JSON.stringify(key)}:{"events":[`);
  for (let i = 0; i < events.length; i += 1) {
    if (i > 0) text.add(',');
    text.add(timelineEventJson(events[i]!));
  }
  text.add(`]${restText.length > 2 ? `,${restText.slice(1)}` : '}'}}`);
  return text;
}
