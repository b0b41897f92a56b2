/**
 * Turns one line of shell input into a command, nothing, or a parse error.
 *
 * A line is JSON when it starts with `{` (the same `{"execute": ...}` QEMU takes), otherwise
 * qmp-shell shorthand; a `!` in front sends either out of band (`!query-yank`). Blank lines
 * and `#` comments are skipped so that scripts can be
 * commented.
 */
import { commandNameProblem, MAX_COMMAND_TEXT_LENGTH } from '../common/command-limits';
import { parseJsonLossless, type JsonObject, type JsonValue } from '../common/json-text';
import { parseShorthand } from '../common/qapi/shorthand';

/** A command ready to send. */
export interface ShellCommand {
  readonly command: string;
  readonly args: JsonObject | undefined;
  /** `exec-oob` was used: send out of band. */
  readonly oob: boolean;
  /** The `id` the user wrote in a JSON line, echoed in the output line (QEMU does the same). */
  readonly userId: JsonValue | undefined;
}

/** The outcome of reading one input line. */
export type ShellLine =
  | { readonly kind: 'skip' }
  | { readonly kind: 'command'; readonly command: ShellCommand }
  | { readonly kind: 'invalid'; readonly message: string };

const ALLOWED_KEYS = new Set(['execute', 'exec-oob', 'arguments', 'id']);

/** Classifies and parses one input line; never throws. */
export function parseShellLine(line: string): ShellLine {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return { kind: 'skip' };
  // `!` before a command sends it out of band (exec-oob), as in the app's console.
  if (text.startsWith('!')) {
    const inner = parseShellLine(text.slice(1));
    if (inner.kind !== 'command') return inner.kind === 'skip' ? { kind: 'invalid', message: "'!' needs a command after it (it sends the command out of band)" } : inner;
    return { kind: 'command', command: { ...inner.command, oob: true } };
  }
  try {
    if (text.startsWith('{')) return parseJsonLine(text);
    const { command, args } = parseShorthand(text);
    return { kind: 'command', command: { command, args, oob: false, userId: undefined } };
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
}

function parseJsonLine(text: string): ShellLine {
  let value: JsonValue;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    return { kind: 'invalid', message: `not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'invalid', message: 'a command must be a JSON object' };
  }
  const unknown = Object.keys(value).filter((k) => !ALLOWED_KEYS.has(k));
  if (unknown.length > 0) return { kind: 'invalid', message: `unexpected key(s) ${unknown.join(', ')}` };
  const execute = value['execute'];
  const oobName = value['exec-oob'];
  const name = execute ?? oobName;
  if (execute !== undefined && oobName !== undefined) return { kind: 'invalid', message: "use either 'execute' or 'exec-oob', not both" };
  if (typeof name !== 'string' || name === '') return { kind: 'invalid', message: "a command needs 'execute' with a command name" };
  const problem = commandNameProblem(name);
  if (problem !== undefined) return { kind: 'invalid', message: problem };
  const args = value['arguments'];
  if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
    return { kind: 'invalid', message: "'arguments' must be a JSON object" };
  }
  return { kind: 'command', command: { command: name, args, oob: oobName !== undefined, userId: value['id'] } };
}

/** Longest input line either shell reads, in bytes (the contract's bound for arguments text). */
export const MAX_LINE_BYTES = MAX_COMMAND_TEXT_LENGTH;

/** The message for a line past {@link MAX_LINE_BYTES}, which is skipped unread. */
export function lineTooLongMessage(): string {
  return `line too long (more than ${MAX_LINE_BYTES} bytes): skipped`;
}
