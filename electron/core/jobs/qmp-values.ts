/**
 * Reading numbers and strings out of QMP replies whose members may be absent or bigint.
 *
 * QMP's int64/uint64 arrive as bigint past 2^53 (see json-text.ts); the job and migration
 * views show them as plain numbers, which is exact for any real byte count.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../common/json-text';

/** A member as a number, or undefined when absent or not numeric. */
export function numberOf(object: JsonObject | undefined, key: string): number | undefined {
  const value = object?.[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A member as a string, or undefined. */
export function stringOf(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A member as a boolean, or undefined. */
export function booleanOf(object: JsonObject | undefined, key: string): boolean | undefined {
  const value = object?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A nested object member, or undefined. */
export function objectOf(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key];
  return isJsonObject(value) ? value : undefined;
}

/** The objects of a reply that should be a list (anything else gives none). */
export function objectsOf(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter((item): item is JsonObject => isJsonObject(item)) : [];
}
