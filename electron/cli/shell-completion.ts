/**
 * Tab in the terminal shell: readline's completer over the schema completion the console uses.
 *
 * With the schema (read at start), `completeAt` from common/qapi offers what the console's
 * editor offers: command names, then the arguments not yet given, enum values and booleans,
 * nested members after `key.`. Readline inserts the common prefix of its hits, so only options
 * that extend what was typed are passed on. Without a schema, or for the first word of an HMP
 * line, it is names only.
 */
import { completeAt, completeHmpAt } from '../common/qapi/completion';
import type { SchemaModel } from '../common/qapi/schema-model';
import type { JsonValue } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';

/** Readline's completer: the hits and the text they replace (the end of `line`). */
export type Completer = (line: string) => [string[], string];

/** Completes from the schema when there is one (QMP mode), else the command names. */
export function shellCompleter(names: readonly string[], model: SchemaModel | undefined, hmp = false): Completer {
  return (line) => {
    try {
      const found = hmp ? completeHmpAt(names, line, line.length) : model ? completeAt(model, line, line.length) : undefined;
      if (found === undefined) return complete(names, line);
      if (found === null) return [[], line];
      const typed = line.slice(found.from, line.length);
      const hits = [...new Set(found.options.map((o) => o.apply ?? o.label))].filter((hit) => hit.startsWith(typed));
      return [hits, typed];
    } catch {
      // Completion is a convenience: a completer that throws would end readline.
      return [[], line];
    }
  };
}

/** Completes the command name (first word); arguments are left alone. */
export function complete(names: readonly string[], line: string): [string[], string] {
  if (/\s/.test(line.trimStart()) || line.trimStart().startsWith('{')) return [[], line];
  const word = line.trimStart();
  const hits = names.filter((n) => n.startsWith(word));
  return [hits, word];
}

/** The QMP command names QEMU lists (`query-commands`), sorted; empty when it will not say. */
export async function qmpCommandNames(client: QmpClient, timeoutMs: number): Promise<string[]> {
  try {
    const list = await client.execute<JsonValue>('query-commands', undefined, { timeoutMs });
    if (!Array.isArray(list)) return [];
    return list
      .map((c) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? c['name'] : undefined))
      .filter((n): n is string => typeof n === 'string')
      .sort();
  } catch {
    return [];
  }
}

/**
 * HMP command names from HMP's own `help` (one command a line, `name|alias args -- text`),
 * as qmp-shell -H completes them; empty when `help` fails.
 */
export async function hmpCommandNames(client: QmpClient, timeoutMs: number): Promise<string[]> {
  try {
    const text = await client.execute<JsonValue>('human-monitor-command', { 'command-line': 'help' }, { timeoutMs });
    if (typeof text !== 'string') return [];
    const names = text.split(/\r?\n/).flatMap((line) => (line.match(/^(\S+)/)?.[1] ?? '').split('|'));
    return [...new Set(names.filter((n) => /^[a-z_][\w-]*$/i.test(n)))].sort();
  } catch {
    return [];
  }
}
