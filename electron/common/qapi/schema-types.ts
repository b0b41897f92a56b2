/**
 * The QAPI schema as the console and the CLI see it: commands, events and the types they name.
 *
 * `query-qmp-schema` answers with a flat list of `SchemaInfo` entries whose type names are
 * masked (`"1"`, `"2"`…) and refer to each other, cyclically at times. The model resolves
 * every reference once, so completion and validation walk plain objects.
 */

/**
 * How QMP says a built-in value travels as JSON (`json-type` of a `builtin` entry).
 *
 * `value` is QAPI's `any`: every JSON value passes.
 */
export type JsonKind = 'string' | 'int' | 'number' | 'boolean' | 'null' | 'value';

/**
 * The inclusive range of an integer type, as bigints so uint64 is exact.
 *
 * QEMU 7.2's introspection reports every integer type (int8…uint64, size) as `int`; its JSON
 * parser still takes only what fits an int64 or a uint64, hence `int`'s range.
 */
export interface IntRange {
  readonly min: bigint;
  readonly max: bigint;
}

/** A built-in type: `str`, `int`, `number`, `bool`, `null`, `any` (and the sized ints if named). */
export interface BuiltinType {
  readonly kind: 'builtin';
  readonly name: string;
  readonly json: JsonKind;
  /** Set for integer types only. */
  readonly range: IntRange | undefined;
}

/** One value of an enum with its QAPI features. */
export interface EnumValue {
  readonly name: string;
  readonly deprecated: boolean;
  readonly unstable: boolean;
}

/** An enum: a string from a fixed list. */
export interface EnumType {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly EnumValue[];
}

/** A list of one element type. */
export interface ArrayType {
  readonly kind: 'array';
  readonly name: string;
  readonly element: SchemaType;
}

/** A member of an object (a command argument, a struct field). */
export interface ObjectMember {
  readonly name: string;
  readonly type: SchemaType;
  /** QAPI marks optional members with `default: null` (the key present). */
  readonly optional: boolean;
  readonly deprecated: boolean;
  readonly unstable: boolean;
  readonly features: readonly string[];
}

/** One case of a flat union: when the tag member holds `case`, `type`'s members apply too. */
export interface ObjectVariant {
  readonly case: string;
  readonly type: ObjectType;
}

/** A struct, or a flat union (base members plus a tag that selects variant members). */
export interface ObjectType {
  readonly kind: 'object';
  readonly name: string;
  readonly members: readonly ObjectMember[];
  /** Name of the member whose value picks a variant (blockdev-add's `driver`). */
  readonly tag: string | undefined;
  readonly variants: readonly ObjectVariant[];
}

/** An alternate: the value is any one of `members`, told apart by its JSON kind. */
export interface AlternateType {
  readonly kind: 'alternate';
  readonly name: string;
  readonly members: readonly SchemaType[];
}

/** Every kind of QAPI type, told apart by `kind`. */
export type SchemaType = BuiltinType | EnumType | ArrayType | ObjectType | AlternateType;

/** A command: its arguments (an object type, possibly a flat union), its return type and features. */
export interface CommandInfo {
  readonly name: string;
  readonly args: ObjectType | undefined;
  readonly returns: SchemaType | undefined;
  readonly allowOob: boolean;
  readonly deprecated: boolean;
  readonly unstable: boolean;
}

/** An event with the type of its `data`. */
export interface EventInfo {
  readonly name: string;
  readonly data: ObjectType | undefined;
  readonly deprecated: boolean;
  readonly unstable: boolean;
}

/** The resolved schema of one QEMU build. */
export interface SchemaModel {
  readonly commands: ReadonlyMap<string, CommandInfo>;
  readonly events: ReadonlyMap<string, EventInfo>;
  /** Every type entry by its (masked) name. */
  readonly types: ReadonlyMap<string, SchemaType>;
  /** Type names referred to but never defined (empty for a well-formed reply). */
  readonly unresolved: readonly string[];
  /** A type by its masked name (`"1"`, `"str"`…), resolved to its structure. */
  type(name: string): SchemaType | undefined;
}
