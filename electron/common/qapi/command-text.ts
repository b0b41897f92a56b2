/**
 * One parser for a command as typed, in the console and in `qmp-monitor shell`.
 *
 * Two forms, told apart by the first non-space character: `{` is QMP's own JSON
 * (`{"execute": "stop"}`), anything else is qmp-shell shorthand (`device_del id=vblk0`). A
 * leading `!` asks for out-of-band execution (`exec-oob`) in either form (`!query-yank`,
 * `!{"execute": "yank"}`); JSON may also say `exec-oob` itself. The result keeps the text
 * ranges of the name and of every argument so diagnostics can point at them; it never throws.
 */
import { commandNameProblem, MAX_COMMAND_TEXT_LENGTH } from '../command-limits';
import { isJsonObject, type JsonObject, type JsonValue } from '../json-text';
import { JsonRangeError, parseJsonRanged } from './json-ranges';
import { parseShorthandRanged, ShorthandError } from './shorthand';
import type { ArgumentSpan, TextRange } from './text-range';

export type { ArgumentSpan, TextRange } from './text-range';

/** Why a text is not a command, and where. */
export interface ParseError extends TextRange {
  readonly message: string;
}

/** A command as typed: what it asks for, or why it cannot be read. */
export interface ParsedCommand {
  /** True when `command` is set and the text is a well-formed command. */
  readonly ok: boolean;
  readonly command?: string;
  readonly args?: JsonObject;
  /** The `id` of a JSON command, which QEMU echoes back. */
  readonly id?: JsonValue;
  readonly oob: boolean;
  readonly form: 'json' | 'shorthand';
  readonly error?: ParseError;
  /** Where the command name is (in JSON, the `"name"` string with its quotes). */
  readonly commandRange?: TextRange;
  /** JSON only: where the `arguments` object is. */
  readonly argsRange?: TextRange;
  /** Each argument key and value, with its path from the arguments object. */
  readonly spans: readonly ArgumentSpan[];
}

const COMMAND_KEYS: ReadonlySet<string> = new Set(['execute', 'exec-oob', 'arguments', 'id']);

/** Where the form-deciding character is, after spaces and an optional `!`. */
export function commandStart(text: string): { readonly oob: boolean; readonly at: number } {
  let at = text.search(/\S|$/);
  const oob = text[at] === '!';
  if (oob) at = at + 1 + text.slice(at + 1).search(/\S|$/);
  return { oob, at };
}

/** Parses a command in either form; never throws. */
export function parseCommandText(text: string): ParsedCommand {
  const { oob, at } = commandStart(text);
  const form = text[at] === '{' ? 'json' : 'shorthand';
  if (text.length > MAX_COMMAND_TEXT_LENGTH) {
    return { ok: false, oob, form, spans: [], error: { message: `command text too long (${text.length} characters; at most ${MAX_COMMAND_TEXT_LENGTH})`, from: 0, to: text.length } };
  }
  if (at >= text.length) return { ok: false, oob, form, spans: [], error: { message: 'empty command', from: 0, to: text.length } };
  return form === 'json' ? parseJsonCommand(text, at, oob) : parseShorthandCommand(text, at, oob);
}

function parseShorthandCommand(text: string, at: number, oob: boolean): ParsedCommand {
  // Blank the prefix rather than slicing it off, so every range stays an offset into `text`.
  const line = ' '.repeat(at) + text.slice(at);
  try {
    const parsed = parseShorthandRanged(line);
    return {
      ok: true,
      command: parsed.command,
      ...(parsed.args === undefined ? {} : { args: parsed.args }),
      oob,
      form: 'shorthand',
      commandRange: parsed.commandRange,
      spans: parsed.spans,
    };
  } catch (error) {
    const range = error instanceof ShorthandError ? error.range : { from: 0, to: text.length };
    return { ok: false, oob, form: 'shorthand', spans: [], error: { message: (error as Error).message, ...range } };
  }
}

function parseJsonCommand(text: string, at: number, oob: boolean): ParsedCommand {
  const body = ' '.repeat(at) + text.slice(at);
  let parsed;
  try {
    parsed = parseJsonRanged(body);
  } catch (error) {
    const range = error instanceof JsonRangeError ? error.range : { from: at, to: text.length };
    return { ok: false, oob, form: 'json', spans: [], error: { message: `not valid JSON: ${(error as Error).message}`, ...range } };
  }
  const fail = (message: string, range: TextRange): ParsedCommand => ({ ok: false, oob, form: 'json', spans: [], error: { message, ...range } });
  const whole = { from: at, to: text.length };
  const root = parsed.value;
  if (!isJsonObject(root)) return fail('a command must be a JSON object', whole);
  const top = (key: string): ArgumentSpan | undefined => parsed.spans.find((span) => span.path.length === 1 && span.path[0] === key);
  for (const key of Object.keys(root)) {
    if (!COMMAND_KEYS.has(key)) return fail(`unexpected key '${key}' (a command has execute or exec-oob, arguments, id)`, top(key)?.key ?? whole);
  }
  const hasExecute = Object.hasOwn(root, 'execute');
  const hasOob = Object.hasOwn(root, 'exec-oob');
  if (hasExecute && hasOob) return fail("use either 'execute' or 'exec-oob', not both", top('exec-oob')?.key ?? whole);
  const nameKey = hasOob ? 'exec-oob' : 'execute';
  const name = root[nameKey];
  const nameSpan = top(nameKey);
  if (typeof name !== 'string' || name === '' || nameSpan === undefined) {
    return fail("a command needs 'execute' with a command name", nameSpan?.value ?? whole);
  }
  const problem = commandNameProblem(name);
  if (problem !== undefined) return fail(problem, nameSpan.value);
  const args = root['arguments'];
  const argsSpan = top('arguments');
  if (args !== undefined && !isJsonObject(args)) return fail("'arguments' must be a JSON object", argsSpan?.value ?? whole);
  const spans = parsed.spans
    .filter((span) => span.path.length > 1 && span.path[0] === 'arguments')
    .map((span) => ({ ...span, path: span.path.slice(1) }));
  return {
    ok: true,
    command: name,
    ...(args === undefined ? {} : { args }),
    ...(Object.hasOwn(root, 'id') ? { id: root['id']! } : {}),
    oob: oob || hasOob,
    form: 'json',
    commandRange: nameSpan.value,
    ...(argsSpan === undefined ? {} : { argsRange: argsSpan.value }),
    spans,
  };
}
