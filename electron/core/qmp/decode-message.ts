/**
 * Turns one framed message's bytes into a value, keeping QMP's 64-bit integers exact.
 *
 * The JSON rules themselves live in `electron/common/json-text.ts` (shared with the renderer,
 * so it cannot use Node's Buffer); this file adds what a peer's raw bytes need: strict UTF-8
 * and a protocol error instead of a bare SyntaxError.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { hasLongDigitRun, parseJsonLossless, type JsonValue } from '../../common/json-text';
import { parseJsonNativeExact } from '../../common/json-native-exact';
import { QmpProtocolError } from './errors';

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
 * Parses a decoded message; `mayHoldBigInt` (the framer saw a 16+ digit run) picks the exact path.
 *
 * The framer already scanned every byte, so ordinary messages pay only for the native
 * `JSON.parse`, not for a second look for long numbers.
 *
 * @throws QmpProtocolError on malformed JSON.
 */
export function parseQmpMessageText(text: string, mayHoldBigInt: boolean): JsonValue {
  try {
    return (mayHoldBigInt ? parseJsonLossless(text) : JSON.parse(text)) as JsonValue;
  } catch (error) {
    throw new QmpProtocolError(`malformed JSON from peer: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The framer's guess at a message: the value, or undefined when the text is not one (the
 * framer then frames it exactly, which also words the error).
 *
 * Text with a 16+ digit run is read exactly at once (the native parser with marked integers)
 * rather than parsed, found rounded and parsed again: a flood of events carrying uint64 values
 * would otherwise pay two parses each.
 */
export function tryParseQmpText(text: string): JsonValue | undefined {
  if (hasLongDigitRun(text)) return parseJsonNativeExact(text);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
