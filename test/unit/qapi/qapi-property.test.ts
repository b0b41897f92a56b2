import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommandText, completeAt, parseCommandText } from '../../../electron/common/qapi';
import { schemaModel72 } from '../../support/schema-fixture';

const model = schemaModel72();

/** Text that looks like commands being typed: names, keys, JSON punctuation, quotes, dots, '!'. */
const commandish = fc
  .array(
    fc.oneof(
      fc.constantFrom('blockdev-add ', 'driver=', 'driver="qc', 'read-only=', 'file.', 'cache.direct=', '"driver": ', 'migrate-set-capabilities capabilities=[{', 'blockdev-add', 'device_del', 'query-status', '!', 'driver', 'qcow2', 'file', '.', '=', ' ', '"', "'", '\\', '{', '}', '[', ']', ':', ',', 'execute', 'arguments', '"execute"', '"arguments"', 'true', '1.5', '18446744073709551616', '-', '\n', '\t'),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60, unit: 'grapheme' }), commandish);

describe('the qapi tools on arbitrary text', () => {
  it('parse never throws, and its ranges lie inside the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseCommandText(text);
        const ranges = [parsed.error, parsed.commandRange, parsed.argsRange, ...parsed.spans.flatMap((s) => [s.key, s.value])];
        for (const range of ranges) {
          if (range === undefined) continue;
          expect(range.from).toBeGreaterThanOrEqual(0);
          expect(range.to).toBeGreaterThanOrEqual(range.from);
          expect(range.to).toBeLessThanOrEqual(text.length);
        }
        expect(parsed.ok).toBe(parsed.error === undefined);
      }),
      { numRuns: 1500 },
    );
  });

  it('diagnostics never throw and lie inside the text', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, oob) => {
        for (const d of checkCommandText(model, text, { oobNegotiated: oob })) {
          expect(d.from).toBeGreaterThanOrEqual(0);
          expect(d.to).toBeGreaterThanOrEqual(d.from);
          expect(d.to).toBeLessThanOrEqual(text.length);
          expect(d.message).not.toBe('');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('completion never throws at any offset and replaces a range inside the text', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), (text, n) => {
        const offset = n % (text.length + 1);
        const completion = completeAt(model, text, offset);
        if (completion === null) return;
        expect(completion.from).toBeGreaterThanOrEqual(0);
        expect(completion.from).toBeLessThanOrEqual(offset);
        expect(completion.to).toBeGreaterThanOrEqual(offset);
        expect(completion.to).toBeLessThanOrEqual(text.length);
        expect(completion.options.length).toBeGreaterThan(0);
      }),
      { numRuns: 1500 },
    );
  });
});
