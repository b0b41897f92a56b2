/**
 * What the cursor is on in a command being typed: the command name, an argument name, or a
 * value, and at which path in the arguments.
 *
 * Text being typed is rarely valid, so this does not parse: it scans up to the cursor with a
 * stack of open objects and arrays (JSON) or splits words leniently (shorthand), and takes the
 * arguments from a full parse when the text does parse (so a `driver` written after the
 * cursor still selects the union's variant).
 */
import { parseJsonLossless, type JsonObject, type JsonValue } from '../json-text';
import { commandStart, parseCommandText } from './command-text';
import { tokenizeShorthand } from './shorthand';

/** Where the cursor is and what may go there. */
export interface CompletionContext {
  readonly role: 'command' | 'key' | 'value' | 'command-key';
  /** key: the object whose member is typed; value: the value's own path (both in the arguments). */
  readonly path: readonly (string | number)[];
  /** The text that completion replaces. */
  readonly from: number;
  readonly to: number;
  /** What is typed of it, up to the cursor (filters the options). */
  readonly typed: string;
  readonly command: string | undefined;
  /** The arguments as far as they can be read. */
  readonly args: JsonObject;
  readonly form: 'json' | 'shorthand';
  /**
   * JSON only: `none` = no quote at the cursor (options bring their own), `open` = inside a
   * string with no closing quote yet, `closed` = inside a complete string.
   */
  readonly quote: 'none' | 'open' | 'closed';
}

/** The context at `offset`, or null where nothing can be completed (inside a number of an `id`). */
export function completionContext(text: string, offset: number): CompletionContext | null {
  const cursor = Math.max(0, Math.min(offset, text.length));
  const { at } = commandStart(text);
  if (text[at] === '{') return jsonContext(text, at, cursor);
  return shorthandContext(text, at, cursor);
}

function parsedArgs(text: string): { command: string | undefined; args: JsonObject | undefined } {
  const parsed = parseCommandText(text);
  return { command: parsed.ok ? parsed.command : undefined, args: parsed.ok ? (parsed.args ?? {}) : undefined };
}

function shorthandContext(text: string, at: number, cursor: number): CompletionContext | null {
  const line = ' '.repeat(at) + text.slice(at);
  const tokens = tokenizeShorthand(line, true);
  const first = tokens[0];
  const command = first?.key;
  const base = { form: 'shorthand' as const, quote: 'none' as const };
  if (first === undefined || cursor <= first.keyRange.to) {
    const from = first !== undefined && cursor >= first.keyRange.from ? first.keyRange.from : cursor;
    const to = first !== undefined && cursor >= first.keyRange.from ? first.keyRange.to : cursor;
    return { ...base, role: 'command', path: [], from, to, typed: text.slice(from, cursor), command: undefined, args: {} };
  }
  const full = parsedArgs(text);
  const args = full.args ?? lenientShorthandArgs(tokens.slice(1).filter((t) => !(t.keyRange.from <= cursor && cursor <= (t.valueRange?.to ?? t.keyRange.to))));
  const token = tokens.slice(1).find((t) => t.keyRange.from <= cursor && cursor <= (t.valueRange?.to ?? t.keyRange.to));
  if (token === undefined || cursor <= token.keyRange.to) {
    const key = token === undefined ? '' : token.key.slice(0, cursor - token.keyRange.from);
    const dot = key.lastIndexOf('.');
    const keyFrom = (token?.keyRange.from ?? cursor) + dot + 1;
    const path = dot < 0 ? [] : key.slice(0, dot).split('.');
    const to = token === undefined ? cursor : token.keyRange.to;
    return { ...base, role: 'key', path, from: keyFrom, to, typed: text.slice(keyFrom, cursor), command, args };
  }
  const range = token.valueRange!;
  // Inside quotes only the quoted text is replaced; before the opening quote, the whole value.
  const inside = token.quoted && cursor > range.from;
  const closed = token.quoted && range.to - range.from > 1 && text[range.to - 1] === text[range.from];
  const from = inside ? range.from + 1 : range.from;
  const to = inside && closed ? Math.max(range.to - 1, cursor) : range.to;
  return { ...base, role: 'value', path: token.key.split('.'), from, to, typed: text.slice(from, cursor), command, args };
}

function lenientShorthandArgs(tokens: ReturnType<typeof tokenizeShorthand>): JsonObject {
  const args: JsonObject = {};
  for (const token of tokens) {
    if (token.value === undefined) continue;
    let value: JsonValue = token.value;
    if (!token.quoted) {
      try {
        value = parseJsonLossless(token.value);
      } catch {
        value = token.value;
      }
    }
    const parts = token.key.split('.');
    let node = args;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(node, part) ? node[part] : undefined;
      if (next === undefined) node = defineChild(node, part);
      else if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next;
      else ok = false;
    }
    if (ok) Object.defineProperty(node, parts[parts.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  }
  return args;
}

function defineChild(node: JsonObject, key: string): JsonObject {
  const child: JsonObject = {};
  Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
  return child;
}

interface Frame {
  readonly kind: 'object' | 'array';
  /** Path from the root of the command object. */
  readonly path: readonly (string | number)[];
  state: 'key' | 'colon' | 'value' | 'comma';
  key: string | undefined;
  index: number;
  readonly value: JsonObject | JsonValue[];
}

const LITERAL = /[A-Za-z0-9.+-]+/y;

function jsonContext(text: string, at: number, cursor: number): CompletionContext | null {
  const stack: Frame[] = [];
  let pos = at;
  let hit: { from: number; to: number; quote: CompletionContext['quote']; isString: boolean } | undefined;
  const top = (): Frame | undefined => stack[stack.length - 1];
  const childPath = (frame: Frame | undefined): (string | number)[] =>
    frame === undefined ? [] : [...frame.path, frame.kind === 'array' ? frame.index : (frame.key ?? '')];
  const store = (frame: Frame | undefined, value: JsonValue): void => {
    if (frame === undefined) return;
    if (frame.kind === 'array') (frame.value as JsonValue[]).push(value);
    else if (frame.key !== undefined) Object.defineProperty(frame.value, frame.key, { value, enumerable: true, writable: true, configurable: true });
    frame.state = 'comma';
  };
  while (pos < cursor) {
    const c = text[pos]!;
    const frame = top();
    if (/\s/.test(c)) {
      pos++;
    } else if (c === '{' || c === '[') {
      const value: JsonObject | JsonValue[] = c === '{' ? {} : [];
      store(frame, value);
      stack.push({ kind: c === '{' ? 'object' : 'array', path: childPath(frame), state: c === '{' ? 'key' : 'value', key: undefined, index: 0, value });
      pos++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      pos++;
    } else if (c === ':') {
      if (frame?.state === 'colon') frame.state = 'value';
      pos++;
    } else if (c === ',') {
      if (frame?.kind === 'object') frame.state = 'key';
      if (frame?.kind === 'array') {
        frame.state = 'value';
        frame.index = (frame.value as JsonValue[]).length;
      }
      pos++;
    } else if (c === '"') {
      const end = stringEnd(text, pos);
      if (end === undefined || end > cursor) {
        hit = { from: pos + 1, to: end === undefined ? text.length : end - 1, quote: end === undefined ? 'open' : 'closed', isString: true };
        break;
      }
      let decoded: string;
      try {
        decoded = JSON.parse(text.slice(pos, end)) as string;
      } catch {
        decoded = text.slice(pos + 1, end - 1);
      }
      if (frame?.kind === 'object' && frame.state === 'key') {
        frame.key = decoded;
        frame.state = 'colon';
      } else {
        store(frame, decoded);
      }
      pos = end;
    } else {
      LITERAL.lastIndex = pos;
      const match = LITERAL.exec(text);
      const end = match === null ? pos + 1 : LITERAL.lastIndex;
      if (end >= cursor && match !== null) {
        hit = { from: pos, to: end, quote: 'none', isString: false };
        break;
      }
      if (match !== null) {
        try {
          store(frame, parseJsonLossless(match[0]));
        } catch {
          store(frame, match[0]);
        }
      }
      pos = end;
    }
  }
  const frame = top();
  if (frame === undefined) return null;
  const from = hit?.from ?? cursor;
  const to = hit?.to ?? cursor;
  const typed = text.slice(from, Math.max(from, cursor));
  const quote = hit?.quote ?? 'none';
  const rootValue = stack[0]!.value as JsonObject;
  const full = parsedArgs(text);
  const named = /"(?:execute|exec-oob)"\s*:\s*"([^"\\]*)"/.exec(text);
  const command = full.command ?? named?.[1];
  const args = full.args ?? (isObject(rootValue['arguments']) ? rootValue['arguments'] : {});
  const base = { from, to, typed, command, args, form: 'json' as const, quote };
  const role = frame.kind === 'object' && frame.state === 'key' ? 'key' : frame.state === 'value' ? 'value' : undefined;
  if (role === undefined || (role === 'key' && hit !== undefined && !hit.isString)) return null;
  if (frame.path.length === 0) {
    if (role === 'key') return { ...base, role: 'command-key', path: [] };
    if (frame.key === 'execute' || frame.key === 'exec-oob') return { ...base, role: 'command', path: [] };
    return null;
  }
  if (frame.path[0] !== 'arguments') return null;
  const path = frame.path.slice(1);
  if (role === 'key') return { ...base, role: 'key', path };
  return { ...base, role: 'value', path: [...path, frame.kind === 'array' ? frame.index : (frame.key ?? '')] };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Index just past the closing quote of the string starting at `start`, or undefined if it never closes on this text. */
function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') return undefined;
  }
  return undefined;
}
