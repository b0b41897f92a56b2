/**
 * Checks a message that `JSON.parse` accepted: nesting depth, and whether it lost precision.
 *
 * The framer's fast path lets the native parser find and validate a message; this walk then
 * enforces the depth limit the byte scanner would have enforced, and spots integers that
 * `JSON.parse` rounded (any integral number of magnitude >= 2^53) so the message can be parsed
 * again exactly. Walking the parsed values costs far less than scanning every byte again.
 */
import { QmpProtocolError } from './errors';

/** Smallest magnitude at which a parsed integer may have been rounded. */
const UNSAFE = 2 ** 53;

/**
 * Returns true if `value` holds an integral number of magnitude >= 2^53 (a float written with
 * an exponent may match too: the exact re-parse then simply keeps it a number).
 *
 * @throws QmpProtocolError when containers nest deeper than `maxDepth` (the top object is 1).
 */
export function checkParsedMessage(value: unknown, maxDepth: number): boolean {
  return walk(value, 1, maxDepth);
}

function walk(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === 'number') return (value >= UNSAFE || value <= -UNSAFE) && Number.isInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  if (depth > maxDepth) throw new QmpProtocolError(`message nested deeper than ${maxDepth} levels`);
  let unsafe = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (walk(value[i], depth + 1, maxDepth)) unsafe = true;
  } else {
    for (const key in value) if (walk((value as Record<string, unknown>)[key], depth + 1, maxDepth)) unsafe = true;
  }
  return unsafe;
}
