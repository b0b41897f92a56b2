/**
 * The state of a transport that can drop and come back (the web bridge's WebSocket).
 *
 * The store listens to these to say that the data is not live and when the next try is, and
 * to catch up (events after its last seq, fresh snapshots) once the link is back.
 */

/** A change of the link: lost (maybe retrying) or restored. */
export type LinkEvent =
  | {
      readonly kind: 'lost';
      /** Why the link dropped (or why the last try failed). */
      readonly reason: string;
      /** How many reconnect tries have failed so far plus the one scheduled (1 after the drop). */
      readonly attempt: number;
      /** Epoch ms of the next try; null when it will not retry (closed on purpose, incompatible server). */
      readonly nextRetryAt: number | null;
    }
  | { readonly kind: 'restored'; readonly attempt: number };

/** A transport that reports {@link LinkEvent}s. */
export interface LinkSource {
  /** Runs `listener` on every change; returns the unsubscribe function. */
  onLink(listener: (event: LinkEvent) => void): () => void;
}

/** First reconnect delay; doubles per failed try. */
export const RECONNECT_FIRST_DELAY_MS = 250;
/** Longest reconnect delay: a local server that comes back should be seen within seconds. */
export const RECONNECT_MAX_DELAY_MS = 5_000;

/** The wait before try `attempt` (1-based): 0.25 s, 0.5 s, 1 s, … capped at 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}
