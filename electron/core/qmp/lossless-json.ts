/**
 * JSON that keeps QMP's 64-bit integers exact.
 *
 * FIRST VERSION (to be completed by the framer work): plain JSON.parse, no bigint yet.
 */
import { QmpProtocolError } from './errors';
import type { QmpValue } from './types';

/**
 * Decodes one UTF-8 JSON text; integers beyond 2^53 become `bigint`.
 *
 * @throws QmpProtocolError on invalid UTF-8 or malformed JSON.
 */
export function parseQmpJson(bytes: Buffer): QmpValue {
  try {
    return JSON.parse(bytes.toString('utf8')) as QmpValue;
  } catch (error) {
    throw new QmpProtocolError(`malformed JSON from peer: ${(error as Error).message}`);
  }
}

/** Parses JSON text (from a user, a file or the renderer) the same lossless way. */
export function parseQmpJsonText(text: string): QmpValue {
  return JSON.parse(text) as QmpValue;
}

/** Serialises a value, writing `bigint` as its exact digits. */
export function stringifyQmp(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), indent);
}
