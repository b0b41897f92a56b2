/**
 * qmp-shell's shorthand: `device_del id=vblk0`, `human-monitor-command command-line="info status"`.
 *
 * People who come from qmp-shell type commands this way, so the shell and the console accept it
 * next to raw JSON. Values are read as JSON where they parse (numbers, booleans, null, arrays,
 * objects, integers past 2^53 kept exact), otherwise taken as strings; quoted values are always
 * strings; dotted keys (`a.b=1 a.c=2`) build and merge nested objects. Browser-safe: the
 * renderer's console parses with the same code as the CLI.
 */
import { commandNameProblem, MAX_COMMAND_NAME_LENGTH } from '../command-limits';
import { parseJsonLossless, type JsonObject, type JsonValue } from '../json-text';
import type { ArgumentSpan, TextRange } from './text-range';

/** A shorthand line that cannot be turned into a command; the message says where and why. */
export class ShorthandError extends Error {
  public constructor(
    message: string,
    /** The part of the line at fault. */
    public readonly range: TextRange = { from: 0, to: 0 },
  ) {
    super(message);
    this.name = 'ShorthandError';
  }
}

/** A parsed shorthand command. */
export interface ShorthandCommand {
  readonly command: string;
  readonly args: JsonObject | undefined;
}

/** A parsed shorthand command with where its name and each argument are in the line. */
export interface RangedShorthand extends ShorthandCommand {
  readonly commandRange: TextRange;
  readonly spans: readonly ArgumentSpan[];
}

/** One whitespace-separated word of a shorthand line: `key`, or `key=value`. */
export interface ShorthandToken {
  readonly key: string;
  readonly keyRange: TextRange;
  /** Raw text after `=` (without quotes, escapes applied); undefined when the token had no `=`. */
  readonly value: string | undefined;
  /** Where the value is, quotes included (empty right after `=`). */
  readonly valueRange: TextRange | undefined;
  /** The value was quoted, so it stays a string even if it looks like JSON. */
  readonly quoted: boolean;
}

/**
 * Parses one shorthand line (already trimmed of comments/blank handling by the caller).
 *
 * @throws ShorthandError when the line is not `NAME [key=value ...]`.
 */
export function parseShorthand(line: string): ShorthandCommand {
  const { command, args } = parseShorthandRanged(line);
  return { command, args };
}

/**
 * {@link parseShorthand}, also returning the text ranges of the name and of every argument.
 *
 * @throws ShorthandError with the range at fault.
 */
export function parseShorthandRanged(line: string): RangedShorthand {
  const tokens = tokenizeShorthand(line, false);
  const first = tokens.shift();
  if (first === undefined) throw new ShorthandError('empty command');
  const problem = first.quoted ? 'quoted' : commandNameProblem(first.key);
  if (problem !== undefined) {
    // A name too long to repeat gets the bound instead of an echo of itself.
    if (first.key.length > MAX_COMMAND_NAME_LENGTH) throw new ShorthandError(problem, first.keyRange);
    throw new ShorthandError(`'${first.key}' is not a command name (expected NAME key=value ... or a JSON object)`, first.keyRange);
  }
  if (first.value !== undefined) throw new ShorthandError(`expected a command name before '${first.key}=...'`, first.keyRange);
  const commandRange = first.keyRange;
  if (tokens.length === 0) return { command: first.key, args: undefined, commandRange, spans: [] };
  const args: JsonObject = {};
  const spans: ArgumentSpan[] = [];
  for (const token of tokens) {
    if (token.value === undefined || token.valueRange === undefined) throw new ShorthandError(`'${token.key}' is not key=value`, token.keyRange);
    const value = token.quoted ? token.value : readValue(token.value, token.valueRange);
    const path = setDotted(args, token.key, value, token.keyRange);
    const floatLiteral = typeof value === 'number' && /[.eE]/.test(token.value);
    spans.push({ path, key: token.keyRange, value: token.valueRange, floatLiteral });
  }
  return { command: first.key, args, commandRange, spans };
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * Splits on whitespace outside quotes and outside JSON brackets, so `x={"a": 1}` is one token.
 *
 * `lenient` (for completion while typing) never throws: an open quote or bracket runs to the
 * end of the line.
 */
export function tokenizeShorthand(line: string, lenient: boolean): ShorthandToken[] {
  const tokens: ShorthandToken[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (isSpace(line[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && !isSpace(line[i])) {
      if ((line[i] === '"' || line[i] === "'") && !lenient) throw new ShorthandError(`unexpected quote at column ${i + 1}`, { from: i, to: i + 1 });
      i++;
    }
    const key = line.slice(keyStart, i);
    const keyRange = { from: keyStart, to: i };
    if (line[i] !== '=') {
      tokens.push({ key, keyRange, value: undefined, valueRange: undefined, quoted: false });
      continue;
    }
    if (key === '' && !lenient) throw new ShorthandError(`missing key before '=' at column ${i + 1}`, { from: i, to: i + 1 });
    i++;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      const [value, end] = readQuoted(line, i, lenient);
      tokens.push({ key, keyRange, value, valueRange: { from: i, to: end }, quoted: true });
      i = end;
      if (i < n && !isSpace(line[i]) && !lenient) {
        throw new ShorthandError(`expected a space after the closing quote at column ${i + 1}`, { from: i, to: i + 1 });
      }
      continue;
    }
    const valueStart = i;
    i = skipBareValue(line, i, lenient);
    tokens.push({ key, keyRange, value: line.slice(valueStart, i), valueRange: { from: valueStart, to: i }, quoted: false });
  }
  return tokens;
}

/** Reads a quoted string starting at `start`; backslash escapes the next character. */
function readQuoted(line: string, start: number, lenient: boolean): [string, number] {
  const quote = line[start];
  let out = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) out += line[++i];
    else if (c === quote) return [out, i + 1];
    else out += c;
  }
  if (lenient) return [out, line.length];
  throw new ShorthandError(`unterminated ${quote} quote starting at column ${start + 1}`, { from: start, to: line.length });
}

/** Finds the end of an unquoted value: whitespace ends it unless inside brackets or a JSON string. */
function skipBareValue(line: string, start: number, lenient: boolean): number {
  let depth = 0;
  let inString = false;
  let i = start;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && /\s/.test(c)) break;
  }
  if ((inString || depth > 0) && !lenient) {
    throw new ShorthandError(`unbalanced brackets in value starting at column ${start + 1}`, { from: start, to: line.length });
  }
  return Math.min(i, line.length);
}

/** JSON when it parses (so `1`, `true`, `[1,2]` keep their types), else the text itself. */
function readValue(text: string, range: TextRange): JsonValue {
  if (text === '') return '';
  try {
    return parseJsonLossless(text);
  } catch {
    if (text.startsWith('{') || text.startsWith('[')) throw new ShorthandError(`value '${text}' looks like JSON but does not parse`, range);
    return text;
  }
}

/**
 * Sets `a.b.c` in `target`, creating and merging nested objects, refusing to overwrite.
 *
 * @returns the key's path.
 */
function setDotted(target: JsonObject, key: string, value: JsonValue, range: TextRange): string[] {
  const parts = key.split('.');
  if (parts.some((p) => p === '')) throw new ShorthandError(`bad key '${key}': empty part between dots`, range);
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const existing = Object.hasOwn(node, part) ? node[part] : undefined;
    if (existing === undefined) {
      const child: JsonObject = {};
      define(node, part, child);
      node = child;
    } else if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) {
      node = existing;
    } else {
      throw new ShorthandError(`key '${key}' conflicts with an earlier value of '${part}'`, range);
    }
  }
  const last = parts[parts.length - 1]!;
  if (Object.hasOwn(node, last)) throw new ShorthandError(`key '${key}' given twice`, range);
  define(node, last, value);
  return parts;
}

/** Plain assignment of `__proto__` would change the prototype instead of adding a key. */
function define(node: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}
