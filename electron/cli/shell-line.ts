/**
 * Turns one line of shell input into a command, nothing, or a parse error.
 *
 * A line is JSON when it starts with `{` (the same `{"execute": ...}` QEMU takes), otherwise
 * qmp-shell shorthand. Blank lines and `#` comments are skipped so that scripts can be
 * commented.
 */
import { parseQmpJsonText } from '../core/qmp/lossless-json';
import type { QmpObject, QmpValue } from '../core/qmp/types';
import { parseShorthand } from './shorthand';

/** A command ready to send. */
export interface ShellCommand {
  readonly command: string;
  readonly args: QmpObject | undefined;
  /** `exec-oob` was used: send out of band. */
  readonly oob: boolean;
  /** The `id` the user wrote in a JSON line, echoed in the output line (QEMU does the same). */
  readonly userId: QmpValue | undefined;
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
  try {
    if (text.startsWith('{')) return parseJsonLine(text);
    const { command, args } = parseShorthand(text);
    return { kind: 'command', command: { command, args, oob: false, userId: undefined } };
  } catch (error) {
    return { kind: 'invalid', message: (error as Error).message };
  }
}

function parseJsonLine(text: string): ShellLine {
  let value: QmpValue;
  try {
    value = parseQmpJsonText(text);
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
  const args = value['arguments'];
  if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
    return { kind: 'invalid', message: "'arguments' must be a JSON object" };
  }
  return { kind: 'command', command: { command: name, args, oob: oobName !== undefined, userId: value['id'] } };
}
