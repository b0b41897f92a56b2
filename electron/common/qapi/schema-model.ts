/**
 * Builds the {@link SchemaModel} from `query-qmp-schema`'s return value.
 *
 * Two passes: every type entry first becomes an empty shell under its masked name, then each
 * shell is filled with references to the others, so recursive types (a block node whose
 * `file` is again a block node) resolve without recursion at build time. A name used but never
 * defined becomes an `any` placeholder and is listed in `unresolved`, so a damaged reply still
 * gives a usable model instead of an exception.
 */
import type {
  AlternateType,
  ArrayType,
  BuiltinType,
  CommandInfo,
  EnumType,
  EventInfo,
  IntRange,
  JsonKind,
  ObjectMember,
  ObjectType,
  ObjectVariant,
  SchemaModel,
  SchemaType,
} from './schema-types';

export type * from './schema-types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = Readonly<Record<string, unknown>>;

const INT_RANGES: Readonly<Record<string, IntRange>> = {
  int8: { min: -(2n ** 7n), max: 2n ** 7n - 1n },
  int16: { min: -(2n ** 15n), max: 2n ** 15n - 1n },
  int32: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  uint8: { min: 0n, max: 2n ** 8n - 1n },
  uint16: { min: 0n, max: 2n ** 16n - 1n },
  uint32: { min: 0n, max: 2n ** 32n - 1n },
  uint64: { min: 0n, max: 2n ** 64n - 1n },
  size: { min: 0n, max: 2n ** 64n - 1n },
  // What QEMU's JSON parser keeps as an integer: an int64, or a uint64 above INT64_MAX.
  int: { min: -(2n ** 63n), max: 2n ** 64n - 1n },
};

const JSON_KINDS: ReadonlySet<string> = new Set(['string', 'int', 'number', 'boolean', 'null', 'value']);

/** The range of a built-in integer type by name, or undefined for any other name. */
export function intRangeOf(name: string): IntRange | undefined {
  return Object.hasOwn(INT_RANGES, name) ? INT_RANGES[name] : undefined;
}

/**
 * Resolves `info` (the raw `SchemaInfo` list) into commands, events and linked types.
 *
 * Entries that are not objects with a string `name` and `meta-type` are skipped.
 */
export function buildSchemaModel(info: readonly unknown[]): SchemaModel {
  const entries = info.filter(isEntry);
  const types = new Map<string, SchemaType>();
  const unresolved = new Set<string>();
  for (const entry of entries) {
    const shell = shellOf(entry);
    if (shell !== undefined) types.set(entry['name'] as string, shell);
  }
  const resolve = (name: unknown): SchemaType => {
    const key = typeof name === 'string' ? name : String(name);
    const found = types.get(key);
    if (found !== undefined) return found;
    const builtin = builtinFallback(key);
    if (builtin !== undefined) {
      types.set(key, builtin);
      return builtin;
    }
    unresolved.add(key);
    const placeholder: BuiltinType = { kind: 'builtin', name: key, json: 'value', range: undefined };
    types.set(key, placeholder);
    return placeholder;
  };
  const resolveObject = (name: unknown): ObjectType | undefined => {
    if (name === undefined) return undefined;
    const type = resolve(name);
    return type.kind === 'object' ? type : undefined;
  };
  for (const entry of entries) {
    const shell = types.get(entry['name'] as string);
    if (shell !== undefined && entry['meta-type'] !== 'builtin') fill(shell, entry, resolve, resolveObject);
  }
  const commands = new Map<string, CommandInfo>();
  const events = new Map<string, EventInfo>();
  for (const entry of entries) {
    const name = entry['name'] as string;
    const features = stringList(entry['features']);
    if (entry['meta-type'] === 'command') {
      commands.set(name, {
        name,
        args: resolveObject(entry['arg-type']),
        returns: entry['ret-type'] === undefined ? undefined : resolve(entry['ret-type']),
        allowOob: entry['allow-oob'] === true,
        deprecated: features.includes('deprecated'),
        unstable: features.includes('unstable'),
      });
    } else if (entry['meta-type'] === 'event') {
      events.set(name, {
        name,
        data: resolveObject(entry['arg-type']),
        deprecated: features.includes('deprecated'),
        unstable: features.includes('unstable'),
      });
    }
  }
  return {
    commands,
    events,
    types,
    unresolved: [...unresolved],
    type: (name) => types.get(name) ?? builtinFallback(name),
  };
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entry = value as Entry;
  return typeof entry['name'] === 'string' && typeof entry['meta-type'] === 'string';
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The built-ins exist even when a schema does not list them (sized ints never appear in 7.2). */
function builtinFallback(name: string): BuiltinType | undefined {
  const range = intRangeOf(name);
  if (range !== undefined) return { kind: 'builtin', name, json: 'int', range };
  return undefined;
}

function shellOf(entry: Entry): SchemaType | undefined {
  const name = entry['name'] as string;
  switch (entry['meta-type']) {
    case 'builtin': {
      const json = typeof entry['json-type'] === 'string' && JSON_KINDS.has(entry['json-type']) ? (entry['json-type'] as JsonKind) : 'value';
      return { kind: 'builtin', name, json, range: json === 'int' ? (intRangeOf(name) ?? intRangeOf('int')) : undefined };
    }
    case 'enum':
      return { kind: 'enum', name, values: [] };
    case 'array':
      // The element is set in the second pass; the shell is never read before that.
      return { kind: 'array', name, element: undefined as unknown as SchemaType };
    case 'object':
      return { kind: 'object', name, members: [], tag: undefined, variants: [] };
    case 'alternate':
      return { kind: 'alternate', name, members: [] };
    default:
      return undefined;
  }
}

function fill(
  shell: SchemaType,
  entry: Entry,
  resolve: (name: unknown) => SchemaType,
  resolveObject: (name: unknown) => ObjectType | undefined,
): void {
  switch (shell.kind) {
    case 'enum':
      (shell as Mutable<EnumType>).values = enumValues(entry);
      return;
    case 'array':
      (shell as Mutable<ArrayType>).element = resolve(entry['element-type']);
      return;
    case 'alternate':
      (shell as Mutable<AlternateType>).members = records(entry['members']).map((member) => resolve(member['type']));
      return;
    case 'object': {
      const object = shell as Mutable<ObjectType>;
      object.members = records(entry['members'])
        .filter((member) => typeof member['name'] === 'string')
        .map((member): ObjectMember => {
          const features = stringList(member['features']);
          return {
            name: member['name'] as string,
            type: resolve(member['type']),
            optional: Object.hasOwn(member, 'default'),
            deprecated: features.includes('deprecated'),
            unstable: features.includes('unstable'),
            features,
          };
        });
      object.tag = typeof entry['tag'] === 'string' ? entry['tag'] : undefined;
      object.variants = records(entry['variants']).flatMap((variant): ObjectVariant[] => {
        const type = resolveObject(variant['type']);
        return typeof variant['case'] === 'string' && type !== undefined ? [{ case: variant['case'], type }] : [];
      });
      return;
    }
    default:
      return;
  }
}

function records(value: unknown): Entry[] {
  return Array.isArray(value) ? value.filter((item): item is Entry => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
}

/** Enum values with features from `members` (QEMU ≥ 6.2), else the bare `values` list. */
function enumValues(entry: Entry): EnumType['values'] {
  const members = records(entry['members']).filter((member) => typeof member['name'] === 'string');
  if (members.length > 0) {
    return members.map((member) => {
      const features = stringList(member['features']);
      return { name: member['name'] as string, deprecated: features.includes('deprecated'), unstable: features.includes('unstable') };
    });
  }
  return stringList(entry['values']).map((name) => ({ name, deprecated: false, unstable: false }));
}
