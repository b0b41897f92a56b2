/**
 * JSON that keeps QMP's 64-bit integers exact.
 *
 * QMP's uint64/int64 fields (block sizes, offsets, 20-digit ids) do not fit a JS `number`.
 * Integers that are not safe integers decode as `bigint`; safe integers and floats stay
 * `number`. The text-level work lives in `electron/common/json-text.ts` so the renderer gets
 * exactly the same rules; this file adds the byte-level checks a peer's bytes need.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { parseJsonLossless, stringifyJsonLossless } from '../../common/json-text';
import { QmpProtocolError } from './errors';
import type { QmpValue } from './types';

/** 2^53 has 16 digits: text without such a digit run cannot hold an unsafe integer. */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * Decodes one UTF-8 JSON text from a peer; integers beyond 2^53 become `bigint`.
 *
 * @throws QmpProtocolError on invalid UTF-8 or malformed JSON.
 */
export function parseQmpJson(bytes: Buffer): QmpValue {
  const text = decodeQmpBytes(bytes);
  return parseQmpMessageText(text, LONG_DIGIT_RUN.test(text));
}

/**
 * Decodes a peer's bytes as UTF-8, refusing invalid sequences instead of inserting U+FFFD.
 *
 * QEMU output is pure ASCII, so the cheap ASCII check usually settles it.
 *
 * @throws QmpProtocolError when the bytes are not valid UTF-8.
 */
export function decodeQmpBytes(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (!isUtf8(bytes)) throw new QmpProtocolError('message is not valid UTF-8');
  return bytes.toString('utf8');
}

/**
 * Parses a decoded message; `mayHoldBigInt` (a 16+ digit run was seen) picks the exact path.
 *
 * Callers that already scanned the text pass what they found, so ordinary messages pay only
 * for the native `JSON.parse`.
 *
 * @throws QmpProtocolError on malformed JSON.
 */
export function parseQmpMessageText(text: string, mayHoldBigInt: boolean): QmpValue {
  try {
    return (mayHoldBigInt ? parseJsonLossless(text) : JSON.parse(text)) as QmpValue;
  } catch (error) {
    throw new QmpProtocolError(`malformed JSON from peer: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Parses JSON text (from a user, a file or the renderer) the same lossless way.
 *
 * @throws Error naming the position of the first mistake.
 */
export function parseQmpJsonText(text: string): QmpValue {
  return parseJsonLossless(text);
}

/** Serialises a value, writing `bigint` as its exact digits (indent works too). */
export function stringifyQmp(value: unknown, indent?: number): string {
  return stringifyJsonLossless(value, indent);
}
