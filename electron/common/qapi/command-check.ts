/**
 * Says what is wrong with a typed command before it is sent, from the connected QEMU's schema.
 *
 * Hand-written rather than mapped to JSON Schema for a kept validator: ajv compiles its
 * validators with `new Function`, which the renderer's CSP (no 'unsafe-eval') forbids, and
 * ajv 8.20 alone bundles to 125 KB minified (38 KB gzipped) where this whole folder, parser,
 * checker and completion included, bundles to 28 KB (9.5 KB gzipped; esbuild --minify);
 * shorthand is not JSON, so a JSON-text linter could not place its diagnostics; and QAPI's
 * alternates (chosen by JSON kind), flat unions (members chosen by a tag value), masked type
 * names, uint64 ranges past 2^53 and `allow-oob` have no JSON Schema counterpart that would
 * survive a translation without loss. The walk below is one function per QAPI kind.
 *
 * The user can still send a flagged command: QEMU is the judge, these are warnings before it.
 */
import { isJsonObject, type JsonValue } from '../json-text';
import { parseCommandText, type ParsedCommand } from './command-text';
import { nearestNames } from './nearest-names';
import type { ObjectType, SchemaModel, SchemaType } from './schema-types';
import type { ArgumentSpan, TextRange } from './text-range';
import { describeType, membersFor, variantFor } from './type-text';

/** One problem in a typed command, with the text it is about. */
export interface Diagnostic {
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where in the arguments (`['file', 'driver']`); `[]` for the command itself. */
  readonly path: readonly (string | number)[];
}

/** What the check knows about the connection. */
export interface CheckOptions {
  /** False when OOB was not negotiated, so any `exec-oob` is refused; unknown when absent. */
  readonly oobNegotiated?: boolean;
}

/**
 * Commands whose arguments object takes more than the schema lists.
 *
 * `device_add` is declared with `'gen': false`: the schema names only `driver`, `bus` and `id`,
 * and every other argument is a property of the device (`drive`, `addr`, `serial`…), checked by
 * QEMU against the device model at run time. Flagging them as unknown would be wrong.
 */
export const OPEN_ARGUMENT_COMMANDS: ReadonlySet<string> = new Set(['device_add']);

/** Most enum values or member names listed in one message. */
const MAX_LISTED = 8;

/** Parses `text` and checks it against `model`; diagnostics are sorted by position. */
export function checkCommandText(model: SchemaModel, text: string, options: CheckOptions = {}): Diagnostic[] {
  return checkParsedCommand(model, parseCommandText(text), text.length, options);
}

/** {@link checkCommandText} for a command already parsed (the CLI parses once for both uses). */
export function checkParsedCommand(model: SchemaModel, parsed: ParsedCommand, textLength: number, options: CheckOptions = {}): Diagnostic[] {
  if (!parsed.ok || parsed.command === undefined) {
    const error = parsed.error ?? { message: 'not a command', from: 0, to: textLength };
    return [{ from: error.from, to: error.to, severity: 'error', message: error.message, path: [] }];
  }
  const out: Diagnostic[] = [];
  const nameRange = parsed.commandRange ?? { from: 0, to: textLength };
  const push = (range: TextRange, severity: Diagnostic['severity'], message: string, path: readonly (string | number)[]): void => {
    out.push({ from: range.from, to: range.to, severity, message, path });
  };
  const info = model.commands.get(parsed.command);
  if (info === undefined) {
    const near = nearestNames(parsed.command, [...model.commands.keys()]);
    push(nameRange, 'error', `unknown command '${parsed.command}'${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`, []);
    return out;
  }
  if (info.deprecated) push(nameRange, 'warning', `${info.name} is deprecated`, []);
  if (parsed.oob && options.oobNegotiated === false) {
    push(nameRange, 'error', 'exec-oob needs OOB, which was not negotiated on this connection', []);
  } else if (parsed.oob && !info.allowOob) {
    const oobNames = [...model.commands.values()].filter((c) => c.allowOob).map((c) => c.name);
    push(nameRange, 'error', `${info.name} does not allow exec-oob (only ${oobNames.join(', ') || 'none'})`, []);
  }
  if (info.args === undefined) return out;
  const ranges = new SpanIndex(parsed.spans, parsed.argsRange ?? nameRange);
  checkValue(info.args, parsed.args ?? {}, [], { ranges, push, command: info.name, open: OPEN_ARGUMENT_COMMANDS.has(info.name) });
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

interface Walk {
  readonly ranges: SpanIndex;
  readonly push: (range: TextRange, severity: Diagnostic['severity'], message: string, path: readonly (string | number)[]) => void;
  readonly command: string;
  /** Unknown top-level arguments are allowed (see {@link OPEN_ARGUMENT_COMMANDS}). */
  readonly open: boolean;
}

/** Finds the text of a path: its own span, else the spans under it (shorthand's `a.b=1` has no `a`). */
class SpanIndex {
  private readonly byPath = new Map<string, ArgumentSpan>();

  public constructor(
    private readonly spans: readonly ArgumentSpan[],
    private readonly root: TextRange,
  ) {
    for (const span of spans) this.byPath.set(JSON.stringify(span.path), span);
  }

  public span(path: readonly (string | number)[]): ArgumentSpan | undefined {
    return this.byPath.get(JSON.stringify(path));
  }

  public value(path: readonly (string | number)[]): TextRange {
    if (path.length === 0) return this.root;
    const own = this.span(path);
    if (own !== undefined) return own.value;
    const under = this.spans.filter((span) => path.every((part, i) => span.path[i] === part));
    if (under.length === 0) return this.value(path.slice(0, -1));
    return { from: Math.min(...under.map((s) => s.key?.from ?? s.value.from)), to: Math.max(...under.map((s) => s.value.to)) };
  }

  public key(path: readonly (string | number)[]): TextRange {
    const own = this.span(path);
    return own?.key ?? own?.value ?? this.value(path);
  }
}

function label(path: readonly (string | number)[], command: string): string {
  return path.length === 0 ? `${command}'s arguments` : `'${path.join('.')}'`;
}

function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  return 'object';
}

function listed(names: readonly string[]): string {
  return names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')}, … (${names.length})` : names.join(', ');
}

function checkValue(type: SchemaType, value: JsonValue, path: readonly (string | number)[], walk: Walk): void {
  const mismatch = (): void => {
    walk.push(walk.ranges.value(path), 'error', `${label(path, walk.command)} expects ${describeType(type)}, got ${kindOf(value)}`, path);
  };
  switch (type.kind) {
    case 'builtin':
      return checkBuiltin(type, value, path, walk, mismatch);
    case 'enum': {
      if (typeof value !== 'string') return mismatch();
      const found = type.values.find((v) => v.name === value);
      const range = walk.ranges.value(path);
      if (found === undefined) {
        walk.push(range, 'error', `'${value}' is not a value of ${label(path, walk.command)} (one of ${listed(type.values.map((v) => v.name))})`, path);
      } else if (found.deprecated) {
        walk.push(range, 'warning', `'${value}' is deprecated for ${label(path, walk.command)}`, path);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return mismatch();
      value.forEach((item, i) => checkValue(type.element, item, [...path, i], walk));
      return;
    case 'object':
      if (!isJsonObject(value)) return mismatch();
      return checkObject(type, value, path, walk);
    case 'alternate': {
      const member = type.members.find((m) => acceptsKind(m, value, walk.ranges.span(path)));
      if (member === undefined) return mismatch();
      return checkValue(member, value, path, walk);
    }
  }
}

function checkBuiltin(type: SchemaType & { kind: 'builtin' }, value: JsonValue, path: readonly (string | number)[], walk: Walk, mismatch: () => void): void {
  switch (type.json) {
    case 'value':
      return;
    case 'string':
      return typeof value === 'string' ? undefined : mismatch();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch();
    case 'null':
      return value === null ? undefined : mismatch();
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint' ? undefined : mismatch();
    case 'int': {
      const float = walk.ranges.span(path)?.floatLiteral === true;
      const exact = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) && !float ? BigInt(value) : undefined;
      if (exact === undefined) return mismatch();
      if (type.range !== undefined && (exact < type.range.min || exact > type.range.max)) {
        walk.push(walk.ranges.value(path), 'error', `${label(path, walk.command)} is out of range for ${type.name} (${type.range.min} to ${type.range.max})`, path);
      }
      return;
    }
  }
}

/** QEMU picks an alternate's branch by the JSON kind of the value, before looking inside it. */
function acceptsKind(type: SchemaType, value: JsonValue, span: ArgumentSpan | undefined): boolean {
  switch (type.kind) {
    case 'builtin':
      switch (type.json) {
        case 'value':
          return true;
        case 'string':
          return typeof value === 'string';
        case 'boolean':
          return typeof value === 'boolean';
        case 'null':
          return value === null;
        case 'number':
          return typeof value === 'number' || typeof value === 'bigint';
        case 'int':
          return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value) && span?.floatLiteral !== true);
      }
      return false;
    case 'enum':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
    case 'alternate':
      return type.members.some((member) => acceptsKind(member, value, span));
  }
}

function checkObject(type: ObjectType, value: Readonly<Record<string, JsonValue>>, path: readonly (string | number)[], walk: Walk): void {
  const members = membersFor(type, value);
  const byName = new Map(members.map((m) => [m.name, m]));
  // Until the tag names a known case, the variant's members are unknown, not wrong: the tag's
  // own diagnostic (missing, or not in its enum) says what to fix.
  const variantUnknown = type.variants.length > 0 && variantFor(type, value) === undefined;
  for (const [key, item] of Object.entries(value)) {
    const member = byName.get(key);
    const itemPath = [...path, key];
    if (member === undefined) {
      if ((walk.open && path.length === 0) || variantUnknown) continue;
      const near = nearestNames(key, [...byName.keys()]);
      const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : byName.size === 0 ? 'it takes none' : `expected ${listed([...byName.keys()])}`;
      walk.push(walk.ranges.key(itemPath), 'error', `unknown argument '${key}' in ${label(path, walk.command)} (${hint})`, itemPath);
      continue;
    }
    if (member.deprecated) walk.push(walk.ranges.key(itemPath), 'warning', `'${itemPath.join('.')}' is deprecated`, itemPath);
    checkValue(member.type, item, itemPath, walk);
  }
  for (const member of members) {
    if (!member.optional && !Object.hasOwn(value, member.name)) {
      walk.push(walk.ranges.value(path), 'error', `missing required argument '${[...path, member.name].join('.')}' (${describeType(member.type)})`, [...path, member.name]);
    }
  }
}
