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
  if (typeof value !== 'object' || value === null) return isRounded(value);
  return walkContainer(value, 1, maxDepth);
}

/**
 * Walks one container. Leaves are tested in the loop rather than by a call per value: most
 * values are strings, and a call each cost about as much as the rest of the walk.
 */
function walkContainer(container: object, depth: number, maxDepth: number): boolean {
  if (depth > maxDepth) throw new QmpProtocolError(`message nested deeper than ${maxDepth} levels`);
  let unsafe = false;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const item: unknown = container[i];
      if (typeof item === 'object') {
        if (item !== null && walkContainer(item, depth + 1, maxDepth)) unsafe = true;
      } else if (typeof item === 'number' && isRounded(item)) unsafe = true;
    }
  } else {
    for (const key in container) {
      const item: unknown = (container as Record<string, unknown>)[key];
      if (typeof item === 'object') {
        if (item !== null && walkContainer(item, depth + 1, maxDepth)) unsafe = true;
      } else if (typeof item === 'number' && isRounded(item)) unsafe = true;
    }
  }
  return unsafe;
}

function isRounded(value: unknown): boolean {
  return typeof value === 'number' && (value >= UNSAFE || value <= -UNSAFE) && Number.isInteger(value);
}
