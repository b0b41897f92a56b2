/**
 * Reading QMP values that arrive as lossless JSON text, without trusting their shape.
 *
 * QEMU versions differ in which members they send, so every accessor returns undefined for a
 * missing or oddly typed member instead of throwing; the UI then shows "unavailable".
 */
import { isJsonObject, parseJsonLossless, type JsonObject, type JsonValue } from '../../../electron/common/json-text';

/** Parses text, returning undefined (not throwing) for text that is not JSON. */
export function tryParse(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

/** The value as an object, if it is one. */
export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** The value as an array, if it is one. */
export function asArray(value: JsonValue | undefined): readonly JsonValue[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A member read as display text: strings as-is, numbers/bigints/booleans printed, else undefined. */
export function text(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A member read as a boolean, or undefined. */
export function flag(object: JsonObject | undefined, key: string): boolean | undefined {
  const value = object?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A member read as an exact integer (bigint keeps 64-bit sizes exact), or undefined. */
export function integer(object: JsonObject | undefined, key: string): bigint | undefined {
  const value = object?.[key];
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}
