/**
 * Short human names for QAPI types and the members an object value can have.
 *
 * Masked names (`"37"`) mean nothing to a user, so completion details, diagnostics and
 * signatures all describe a type by its structure: `str`, `[str]`, `enum`, `object`,
 * `str | object`. One function here, so the three always agree.
 */
import type { JsonValue } from '../json-text';
import type { ObjectMember, ObjectType, SchemaType } from './schema-types';

/** How deep a description goes before it says `…` (alternates of arrays of alternates). */
const MAX_DEPTH = 3;

/** A type as a user would name it: `str`, `int`, `bool`, `[str]`, `enum`, `object`, `str | null`. */
export function describeType(type: SchemaType, depth = 0): string {
  if (depth > MAX_DEPTH) return '…';
  switch (type.kind) {
    case 'builtin':
      return type.name;
    case 'enum':
      return 'enum';
    case 'array':
      return `[${describeType(type.element, depth + 1)}]`;
    case 'object':
      return 'object';
    case 'alternate':
      return type.members.map((member) => describeType(member, depth + 1)).join(' | ');
  }
}

/**
 * The members an object value may have: the base members, plus the variant's once the tag
 * member holds a known case (blockdev-add with `driver: "qcow2"` gains `file`, `backing`…).
 */
export function membersFor(type: ObjectType, value: JsonValue | undefined): readonly ObjectMember[] {
  const variant = variantFor(type, value);
  return variant === undefined ? type.members : [...type.members, ...membersFor(variant, value)];
}

/** The variant object a flat-union value selects with its tag, if the tag is set and known. */
export function variantFor(type: ObjectType, value: JsonValue | undefined): ObjectType | undefined {
  if (type.tag === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const tagValue = Object.hasOwn(value, type.tag) ? value[type.tag] : undefined;
  if (typeof tagValue !== 'string') return undefined;
  return type.variants.find((variant) => variant.case === tagValue)?.type;
}

/** The object a value must be for `type`, looking through an alternate's object member. */
export function objectTypeOf(type: SchemaType): ObjectType | undefined {
  if (type.kind === 'object') return type;
  if (type.kind === 'alternate') {
    const object = type.members.find((member) => member.kind === 'object');
    return object?.kind === 'object' ? object : undefined;
  }
  return undefined;
}

/** A member's completion detail: `str, required`, `[str], optional, deprecated`. */
export function memberDetail(member: ObjectMember): string {
  const parts = [describeType(member.type), member.optional ? 'optional' : 'required'];
  if (member.deprecated) parts.push('deprecated');
  if (member.unstable) parts.push('unstable');
  return parts.join(', ');
}
