/**
 * Turns decoded QMP messages into the typed shapes the client hands out.
 *
 * QEMU's own messages pass through untouched; only a peer that bends the shape (missing
 * timestamp, non-object error) pays for a copy, and it still gets through instead of killing
 * the connection, because one odd event is no reason to drop a VM's monitor.
 */
import { QmpCommandError } from './errors';
import { isJsonObject, stringifyJsonLossless, type JsonObject, type JsonValue } from '../../common/json-text';
import type { QmpEvent, QmpTimestamp } from './types';

/**
 * Reads an event message (its `event` key is already known to be a string).
 *
 * A missing or malformed timestamp is replaced by our clock; a non-object `data` is dropped.
 */
export function toEvent(message: JsonObject): QmpEvent {
  const ts = message['timestamp'];
  const data = message['data'];
  const validTs = isJsonObject(ts) && typeof ts['seconds'] === 'number' && typeof ts['microseconds'] === 'number';
  const validData = data === undefined || isJsonObject(data);
  if (validTs && validData) return message as unknown as QmpEvent;
  const now = Date.now();
  const timestamp: QmpTimestamp = validTs
    ? (ts as unknown as QmpTimestamp)
    : { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
  return { event: message['event'] as string, timestamp, ...(validData && data !== undefined ? { data } : {}) };
}

/** Reads an `error` member as a typed command error, tolerating a missing class or desc. */
export function toCommandError(error: JsonValue): QmpCommandError {
  if (!isJsonObject(error)) return new QmpCommandError('GenericError', stringifyJsonLossless(error));
  const errorClass = typeof error['class'] === 'string' ? error['class'] : 'GenericError';
  const desc = typeof error['desc'] === 'string' ? error['desc'] : 'no description given';
  return new QmpCommandError(errorClass, desc);
}
