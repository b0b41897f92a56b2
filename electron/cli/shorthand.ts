/**
 * qmp-shell's shorthand: `device_del id=vblk0`, `human-monitor-command command-line="info status"`.
 *
 * People who come from qmp-shell type commands this way, so the shell accepts it next to raw
 * JSON. Values are read as JSON where they parse (numbers, booleans, null, arrays, objects,
 * integers past 2^53 kept exact), otherwise taken as strings; quoted values are always strings;
 * dotted keys (`a.b=1 a.c=2`) build and merge nested objects.
 */
import { commandNameProblem, MAX_COMMAND_NAME_LENGTH } from '../common/command-limits';
import { parseJsonLossless, type JsonObject, type JsonValue } from '../common/json-text';

/** A shorthand line that cannot be turned into a command; the message says where and why. */
export class ShorthandError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ShorthandError';
  }
}

/** A parsed shorthand command. */
export interface ShorthandCommand {
  readonly command: string;
  readonly args: JsonObject | undefined;
}


/**
 * Parses one shorthand line (already trimmed of comments/blank handling by the caller).
 *
 * @throws ShorthandError when the line is not `NAME [key=value ...]`.
 */
export function parseShorthand(line: string): ShorthandCommand {
  const tokens = tokenize(line);
  const first = tokens.shift();
  if (first === undefined) throw new ShorthandError('empty command');
  const problem = first.quoted ? 'quoted' : commandNameProblem(first.key);
  if (problem !== undefined) {
    // A name too long to repeat gets the bound instead of an echo of itself.
    if (first.key.length > MAX_COMMAND_NAME_LENGTH) throw new ShorthandError(problem);
    throw new ShorthandError(`'${first.key}' is not a command name (expected NAME key=value ... or a JSON object)`);
  }
  if (first.value !== undefined) throw new ShorthandError(`expected a command name before '${first.key}=...'`);
  if (tokens.length === 0) return { command: first.key, args: undefined };
  const args: JsonObject = {};
  for (const token of tokens) {
    if (token.value === undefined) throw new ShorthandError(`'${token.key}' is not key=value`);
    setDotted(args, token.key, token.quoted ? token.value : readValue(token.value));
  }
  return { command: first.key, args };
}

interface Token {
  readonly key: string;
  /** Raw text after `=`; undefined when the token had no `=`. */
  readonly value: string | undefined;
  /** The value was quoted, so it stays a string even if it looks like JSON. */
  readonly quoted: boolean;
}

/** Splits on whitespace outside quotes and outside JSON brackets, so `x={"a": 1}` is one token. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && !/\s/.test(line[i]!)) {
      if (line[i] === '"' || line[i] === "'") throw new ShorthandError(`unexpected quote at column ${i + 1}`);
      i++;
    }
    const key = line.slice(keyStart, i);
    if (line[i] !== '=') {
      tokens.push({ key, value: undefined, quoted: false });
      continue;
    }
    if (key === '') throw new ShorthandError(`missing key before '=' at column ${i + 1}`);
    i++;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      const [value, end] = readQuoted(line, i);
      tokens.push({ key, value, quoted: true });
      i = end;
      if (i < n && !/\s/.test(line[i]!)) throw new ShorthandError(`expected a space after the closing quote at column ${i + 1}`);
      continue;
    }
    const valueStart = i;
    i = skipBareValue(line, i);
    tokens.push({ key, value: line.slice(valueStart, i), quoted: false });
  }
  return tokens;
}

/** Reads a quoted string starting at `start`; backslash escapes the next character. */
function readQuoted(line: string, start: number): [string, number] {
  const quote = line[start];
  let out = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) out += line[++i];
    else if (c === quote) return [out, i + 1];
    else out += c;
  }
  throw new ShorthandError(`unterminated ${quote} quote starting at column ${start + 1}`);
}

/** Finds the end of an unquoted value: whitespace ends it unless inside brackets or a JSON string. */
function skipBareValue(line: string, start: number): number {
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
  if (inString || depth > 0) throw new ShorthandError(`unbalanced brackets in value starting at column ${start + 1}`);
  return i;
}

/** JSON when it parses (so `1`, `true`, `[1,2]` keep their types), else the text itself. */
function readValue(text: string): JsonValue {
  if (text === '') return '';
  try {
    return parseJsonLossless(text);
  } catch {
    if (text.startsWith('{') || text.startsWith('[')) throw new ShorthandError(`value '${text}' looks like JSON but does not parse`);
    return text;
  }
}

/** Sets `a.b.c` in `target`, creating and merging nested objects, refusing to overwrite. */
function setDotted(target: JsonObject, key: string, value: JsonValue): void {
  const parts = key.split('.');
  if (parts.some((p) => p === '')) throw new ShorthandError(`bad key '${key}': empty part between dots`);
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
      throw new ShorthandError(`key '${key}' conflicts with an earlier value of '${part}'`);
    }
  }
  const last = parts[parts.length - 1]!;
  if (Object.hasOwn(node, last)) throw new ShorthandError(`key '${key}' given twice`);
  define(node, last, value);
}

/** Plain assignment of `__proto__` would change the prototype instead of adding a key. */
function define(node: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}
