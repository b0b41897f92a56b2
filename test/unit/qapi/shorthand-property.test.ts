import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShellLine } from '../../../electron/cli/shell-line';
import { parseShorthand } from '../../../electron/common/qapi/shorthand';
import { stringifyJsonLossless, type JsonObject, type JsonValue } from '../../../electron/common/json-text';

const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const leaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
);
const tree: fc.Arbitrary<JsonObject> = fc.letrec<{ obj: JsonObject; value: JsonValue }>((tie) => ({
  obj: fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 4 }),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj')),
})).obj;

/** Writes an object as shorthand the way a person would: dotted keys, strings always quoted. */
function render(obj: JsonObject, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const path = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return render(v, `${path}.`);
    if (typeof v === 'string') return [`${path}="${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`];
    // What is left is a number, boolean or null (arrays are not generated).
    return [`${path}=${JSON.stringify(v)}`];
  });
}

/** Drops empty nested objects, which dotted keys cannot express. */
function prune(obj: JsonObject): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    const kept = v !== null && typeof v === 'object' && !Array.isArray(v) ? prune(v) : v;
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// Fixed seeds keep runs reproducible; change them locally to explore further.
describe('shorthand properties', () => {
  it('reads back any object written as dotted shorthand', () => {
    fc.assert(
      fc.property(tree, (raw) => {
        const args = prune(raw);
        fc.pre(args !== undefined);
        const parsed = parseShorthand(`cmd ${render(args).join(' ')}`);
        expect(parsed.command).toBe('cmd');
        // Compared as JSON text: integers past 2^53 come back as exact bigints, which is the point.
        expect(stringifyJsonLossless(parsed.args)).toBe(stringifyJsonLossless(args));
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('never throws on arbitrary input lines', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (line) => {
        const result = parseShellLine(line);
        expect(['skip', 'command', 'invalid']).toContain(result.kind);
      }),
      { numRuns: 2000, seed: 20261125 },
    );
  });
});
