/**
 * `qmp-monitor exec TARGET device_del id=vblk0`: the arguments of `exec` as shorthand words.
 *
 * The words come already split by the user's shell, so `'command-line=info status'` is one
 * word whose value holds a space. They are turned into one qmp-shell shorthand line and read by
 * the one shorthand parser the shell and the console use, so `exec` and `shell` can never
 * disagree on what `a.b=1` or `x=[1,2]` means: a value with spaces or quotes is quoted for it
 * (so it stays the text the user gave), anything else is passed as typed (so `1`, `true` and
 * JSON values keep their types).
 */
import { MAX_COMMAND_TEXT_LENGTH } from '../common/command-limits';
import type { JsonObject } from '../common/json-text';
import { parseShorthand } from '../common/qapi/shorthand';
import { UsageError } from './cli-errors';

/**
 * The arguments object of `command` from `key=value` words.
 *
 * @throws UsageError for a word that is not `key=value` or a value shorthand refuses.
 */
export function execArgsFromWords(command: string, words: readonly string[]): JsonObject | undefined {
  const line = [command, ...words.map(shorthandWord)].join(' ');
  if (line.length > MAX_COMMAND_TEXT_LENGTH) throw new UsageError(`arguments too long (${line.length} characters; at most ${MAX_COMMAND_TEXT_LENGTH})`);
  try {
    return parseShorthand(line).args;
  } catch (error) {
    throw new UsageError(`bad arguments for '${command}': ${(error as Error).message} (expected key=value words or one JSON object)`);
  }
}

/** One argv word as shorthand text: `key=value`, the value quoted when it must stay one string. */
function shorthandWord(word: string): string {
  const eq = word.indexOf('=');
  if (eq <= 0) throw new UsageError(`'${word}' is not key=value (exec takes key=value words or one JSON object)`);
  const key = word.slice(0, eq);
  const value = word.slice(eq + 1);
  const bracketed = value.startsWith('{') || value.startsWith('[');
  if (bracketed || !/[\s"']/.test(value)) return `${key}=${value}`;
  return `${key}="${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
