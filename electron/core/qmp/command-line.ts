/**
 * Encodes one QMP command as the bytes we write.
 *
 * This runs once per command on the hot path, so it concatenates strings instead of building
 * an object and stringifying it, and only falls back to the bigint-aware serialiser when the
 * arguments really hold a bigint (JSON.stringify throws on those, which costs nothing otherwise).
 */
import { stringifyJsonLossless, type JsonObject } from '../../common/json-text';
import { QmpProtocolError } from './errors';

/**
 * Builds `{"execute":NAME,"id":ID,"arguments":{...}}` plus a newline.
 *
 * Our ids are small per-connection integers, written raw: QEMU lexes and re-serialises every
 * id, and string ids measurably slow its command loop (about 8–10% in a bare-socket test).
 * The trailing newline is not needed by QEMU but keeps captured traffic readable.
 *
 * @throws QmpProtocolError naming where a lone surrogate sits: QEMU refuses such text with a
 * parse error that carries no id, so the caller would otherwise wait for a reply that never comes.
 */
export function encodeCommand(command: string, id: number, args: JsonObject | undefined, oob: boolean): string {
  const head = oob ? '{"exec-oob":' : '{"execute":';
  const line =
    args === undefined
      ? `${head}${JSON.stringify(command)},"id":${id}}\n`
      : `${head}${JSON.stringify(command)},"id":${id},"arguments":${encodeArguments(args)}}\n`;
  // JSON.stringify writes a lone surrogate as a lowercase \udXXX escape (pairs stay raw), so
  // this cheap test on the line finds every candidate; the walk then names the place.
  if (ESCAPED_SURROGATE.test(line)) {
    const where = loneSurrogatePath(command, args);
    if (where !== undefined) {
      throw new QmpProtocolError(
        `cannot send ${JSON.stringify(command)}: ${where} holds a lone UTF-16 surrogate, which is not valid Unicode ` +
          '(QEMU would refuse the whole command with a parse error that names no command)',
      );
    }
  }
  return line;
}

const ESCAPED_SURROGATE = /\\ud[89a-f]/;
const LONE_SURROGATE = /\p{Cs}/u;
const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

function encodeArguments(args: JsonObject): string {
  try {
    return JSON.stringify(args);
  } catch (error) {
    // Only a bigint (or a cycle, which stringifyJsonLossless reports the same way) lands here.
    if (error instanceof TypeError) return stringifyJsonLossless(args);
    throw error;
  }
}

/** The first string or key holding a lone surrogate, as `arguments.a[0]["b c"]`, else undefined. */
function loneSurrogatePath(command: string, args: JsonObject | undefined): string | undefined {
  if (LONE_SURROGATE.test(command)) return 'the command name';
  // An explicit stack: arguments may nest deeper than recursion would like.
  const stack: Array<{ value: unknown; path: string }> = [{ value: args, path: 'arguments' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i]!;
        const memberPath = PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        // The key is pushed last so it is checked before its value.
        stack.push({ value: member, path: memberPath }, { value: key, path: `the key ${memberPath}` });
      }
    }
  }
  return undefined;
}
