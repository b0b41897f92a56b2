/**
 * Completion for a command being typed, in both forms, from the connected QEMU's schema.
 *
 * Offers command names (deprecated ones marked), the arguments not given yet with their type
 * and whether they are required, enum values and booleans for a value, nested members (JSON:
 * inside nested objects; shorthand: after `key.`), and a flat union's variant members once its
 * tag is set (`blockdev-add driver=qcow2 ` offers `file`, `backing`…). Options are filtered by
 * what is typed (prefix first, then substring) and carry the text to insert (`apply`).
 */
import type { JsonObject, JsonValue } from '../json-text';
import { completionContext, type CompletionContext } from './completion-context';
import type { ArrayType, ObjectType, SchemaModel, SchemaType } from './schema-types';
import { signatureOf } from './signature';
import { memberDetail, membersFor, objectTypeOf } from './type-text';

export { signatureOf } from './signature';

/** One option in the completion list. */
export interface CompletionOption {
  readonly label: string;
  /** The text to insert when it differs from the label (quotes, `=`, `": `). */
  readonly apply?: string;
  readonly kind: 'command' | 'argument' | 'member' | 'enum' | 'boolean' | 'hmp';
  /** e.g. `str, required`, `command, allow-oob`. */
  readonly detail: string;
  readonly deprecated?: boolean;
  /** Longer text for the info panel: a command's signature. */
  readonly info?: string;
}

/** The options for the text between `from` and `to`. */
export interface Completion {
  readonly from: number;
  readonly to: number;
  readonly options: readonly CompletionOption[];
}

/** What may go at `offset` in `text`, or null when nothing is known there. */
export function completeAt(model: SchemaModel, text: string, offset: number): Completion | null {
  const context = completionContext(text, offset);
  if (context === null) return null;
  const options = optionsFor(model, context);
  const filtered = options === null ? [] : filterOptions(options, context.typed);
  return filtered.length === 0 ? null : { from: context.from, to: context.to, options: filtered };
}

/**
 * HMP command names for the start of an HMP line, from the names `help` listed; names of
 * two words (`info status`, from `help info`) complete once the first word is typed.
 */
export function completeHmpAt(names: readonly string[], text: string, offset: number): Completion | null {
  const start = text.search(/\S|$/);
  if (offset < start) return null;
  const typed = text.slice(start, offset);
  const words = typed.split(/\s+/).length;
  if (words > 2) return null;
  const to = offset + text.slice(offset).search(/\s|$/);
  const candidates = names.filter((name) => name.split(' ').length === words);
  const options = candidates.map((name): CompletionOption => ({ label: name, kind: 'hmp', detail: 'HMP command' }));
  const matching = options.filter((option) => option.label.toLowerCase().startsWith(typed.toLowerCase().replace(/\s+/g, ' ')));
  return matching.length === 0 ? null : { from: start, to, options: matching };
}

/** Prefix matches first, in their order, then names that merely contain the typed text. */
function filterOptions(options: readonly CompletionOption[], typed: string): CompletionOption[] {
  const needle = typed.toLowerCase();
  if (needle === '') return [...options];
  const prefix = options.filter((o) => o.label.toLowerCase().startsWith(needle));
  const inner = options.filter((o) => !o.label.toLowerCase().startsWith(needle) && o.label.toLowerCase().includes(needle));
  return [...prefix, ...inner];
}

function quoted(value: string, context: CompletionContext): string | undefined {
  if (context.form === 'shorthand') return /[\s"']/.test(value) ? JSON.stringify(value) : undefined;
  if (context.quote === 'none') return JSON.stringify(value);
  return undefined;
}

function optionsFor(model: SchemaModel, context: CompletionContext): CompletionOption[] | null {
  switch (context.role) {
    case 'command':
      return commandOptions(model, context);
    case 'command-key':
      return commandKeyOptions(context);
    case 'key': {
      const info = context.command === undefined ? undefined : model.commands.get(context.command);
      if (info?.args === undefined) return null;
      const object = typeAt(info.args, context.args, context.path);
      const type = object === undefined ? undefined : objectTypeOf(object);
      if (type === undefined) return null;
      return memberOptions(type, valueAt(context.args, context.path), context, context.path.length === 0 ? 'argument' : 'member');
    }
    case 'value': {
      const info = context.command === undefined ? undefined : model.commands.get(context.command);
      if (info?.args === undefined) return null;
      const type = typeAt(info.args, context.args, context.path);
      return type === undefined ? null : valueOptions(type, context);
    }
  }
}

function commandOptions(model: SchemaModel, context: CompletionContext): CompletionOption[] {
  return [...model.commands.values()]
    .sort((a, b) => Number(a.deprecated) - Number(b.deprecated) || a.name.localeCompare(b.name))
    .map((info) => {
      const flags = ['command', info.allowOob ? 'allow-oob' : '', info.deprecated ? 'deprecated' : '', info.unstable ? 'unstable' : ''].filter((f) => f !== '');
      const apply = quoted(info.name, context);
      return {
        label: info.name,
        ...(apply === undefined ? {} : { apply }),
        kind: 'command' as const,
        detail: flags.join(', '),
        ...(info.deprecated ? { deprecated: true } : {}),
        info: signatureOf(model, info.name) ?? info.name,
      };
    });
}

function commandKeyOptions(context: CompletionContext): CompletionOption[] {
  const keys: [string, string][] = [['execute', 'command name'], ['arguments', 'object'], ['id', 'any, echoed in the reply'], ['exec-oob', 'command name, out of band']];
  return keys.map(([label, detail]) => ({ label, apply: context.quote === 'none' ? `"${label}": ` : context.quote === 'open' ? `${label}": ` : label, kind: 'member', detail }));
}

function memberOptions(type: ObjectType, value: JsonValue | undefined, context: CompletionContext, kind: 'argument' | 'member'): CompletionOption[] {
  const given = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  return membersFor(type, given)
    .filter((member) => !Object.hasOwn(given, member.name))
    .sort((a, b) => Number(a.optional) - Number(b.optional) || Number(a.deprecated) - Number(b.deprecated))
    .map((member) => {
      const objectLike = member.type.kind === 'object';
      const apply =
        context.form === 'shorthand'
          ? `${member.name}${objectLike ? '.' : '='}`
          : context.quote === 'none'
            ? `"${member.name}": `
            : context.quote === 'open'
              ? `${member.name}": `
              : member.name;
      return { label: member.name, apply, kind, detail: memberDetail(member), ...(member.deprecated ? { deprecated: true } : {}) };
    });
}

function valueOptions(type: SchemaType, context: CompletionContext): CompletionOption[] | null {
  const options: CompletionOption[] = [];
  const add = (t: SchemaType): void => {
    if (t.kind === 'enum') {
      for (const value of t.values) {
        const apply = quoted(value.name, context);
        options.push({ label: value.name, ...(apply === undefined ? {} : { apply }), kind: 'enum', detail: value.deprecated ? 'enum, deprecated' : 'enum', ...(value.deprecated ? { deprecated: true } : {}) });
      }
    } else if (t.kind === 'builtin' && t.json === 'boolean' && context.quote === 'none') {
      options.push({ label: 'true', kind: 'boolean', detail: 'bool' }, { label: 'false', kind: 'boolean', detail: 'bool' });
    } else if (t.kind === 'alternate') {
      t.members.forEach(add);
    }
  };
  add(type);
  return options.length === 0 ? null : options;
}

function arrayTypeOf(type: SchemaType): ArrayType | undefined {
  if (type.kind === 'array') return type;
  if (type.kind !== 'alternate') return undefined;
  for (const member of type.members) if (member.kind === 'array') return member;
  return undefined;
}

/** The value already written at `path` in `args` (to tell a union's variant and skip given keys). */
function valueAt(args: JsonObject, path: readonly (string | number)[]): JsonValue | undefined {
  let node: JsonValue | undefined = args;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = Array.isArray(node) ? (typeof part === 'number' ? node[part] : undefined) : Object.hasOwn(node, part) ? node[part] : undefined;
  }
  return node;
}

/** The schema type at `path` under the arguments type, using the written values to pick variants. */
function typeAt(root: ObjectType, args: JsonObject, path: readonly (string | number)[]): SchemaType | undefined {
  let type: SchemaType = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (typeof part === 'number' || /^\d+$/.test(String(part))) {
      const array = arrayTypeOf(type);
      if (array === undefined) return undefined;
      type = array.element;
      continue;
    }
    const object = objectTypeOf(type);
    if (object === undefined) return undefined;
    const member = membersFor(object, valueAt(args, path.slice(0, i))).find((m) => m.name === part);
    if (member === undefined) return undefined;
    type = member.type;
  }
  return type;
}
