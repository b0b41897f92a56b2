/**
 * Hand-written payload generators for every contract request, independent of its zod schema.
 *
 * A property that asks the schema under test what it should accept proves only that the
 * schema agrees with itself. Here each field is described by hand from the contract's
 * documented rules (lengths, ranges, trimming, defaults): how to make valid values and what
 * the handler must receive for them, and values that are wrong by construction. Invalid
 * payloads are made from valid ones by a known mutation (a field set to a bad value, a
 * required field dropped, an unknown key added, a non-object payload), so whether a payload
 * must be accepted is known before it is sent. When the contract changes, this file must
 * change with it, on purpose.
 */
import fc from 'fast-check';
import type { RequestName } from '../../../electron/common/contract';

/** A value to send and what the handler must then receive (after trimming, say). */
interface Sent {
  readonly sent: unknown;
  readonly received: unknown;
}

/** One payload field. */
interface Field {
  readonly required: boolean;
  readonly valid: fc.Arbitrary<Sent>;
  /** Values this field must refuse. */
  readonly invalid: fc.Arbitrary<unknown>;
  /** What the handler receives when the field is absent (a schema default). */
  readonly absentAs?: unknown;
}

const same = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Sent> => arbitrary.map((value) => ({ sent: value, received: value }));
const spaces = fc.constantFrom('', ' ', '  ', '\t', ' \n');
/** A string with no leading or trailing whitespace. */
const core = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9/._:-]{1,${max}}$`));
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const notABoolean = fc.oneof(fc.constantFrom('true', 'yes', 1, 0, null), fc.constant({}));

const vmId: Field = {
  required: true,
  valid: same(fc.string({ minLength: 1, maxLength: 64 })),
  invalid: fc.oneof(fc.constant(''), fc.string({ minLength: 65, maxLength: 80 }), notAString),
};
/** The `flow` id of an events push: 1..64 characters, not trimmed. */
const flowId: Field = {
  required: true,
  valid: same(fc.string({ minLength: 1, maxLength: 64 })),
  invalid: fc.oneof(fc.constant(''), fc.string({ minLength: 65, maxLength: 80 }), notAString),
};
/** Optional, trimmed, at most 200 characters once trimmed. */
const label: Field = {
  required: false,
  valid: fc.oneof(
    fc.tuple(spaces, fc.string({ maxLength: 190 }), spaces).map(([a, text, b]) => ({ sent: a + text + b, received: (a + text + b).trim() })),
    // Longer than 200 as sent, but not once trimmed.
    core(1).map((c) => ({ sent: `     ${c.repeat(200)}     `, received: c.repeat(200) })),
  ),
  invalid: fc.oneof(fc.integer({ min: 201, max: 260 }).map((n) => 'x'.repeat(n)), notAString),
};
/** Trimmed, 1..4096 characters once trimmed. */
const target = (required: boolean): Field => ({
  required,
  valid: fc.tuple(spaces, core(80), spaces).map(([a, text, b]) => ({ sent: a + text + b, received: text })),
  invalid: fc.oneof(fc.constantFrom('', ' ', '\t \n', 'x'.repeat(4097)), notAString),
});
const boolean = (required: boolean, absentAs?: boolean): Field => ({
  required,
  valid: same(fc.boolean()),
  invalid: notABoolean,
  ...(absentAs === undefined ? {} : { absentAs }),
});
/** An integer in [min, max]; `max: undefined` means unbounded above (generated up to 2^40). */
const integer = (min: number, max: number | undefined, required: boolean, absentAs?: number): Field => ({
  required,
  valid: same(fc.integer({ min, max: max ?? 2 ** 40 })),
  invalid: fc.oneof(
    fc.constantFrom(min - 1, min + 0.5, Number.NaN, Number.POSITIVE_INFINITY, null, ...(max === undefined ? [] : [max + 1])),
    fc.constant(String(min)),
  ),
  ...(absentAs === undefined ? {} : { absentAs }),
});

/** A QOM path: absolute, 1..4096 characters, not trimmed. */
const qomPathField: Field = {
  required: true,
  valid: same(fc.string({ maxLength: 60 }).map((rest) => `/${rest}`)),
  invalid: fc.oneof(fc.constantFrom('', 'machine', ' /machine', `/${'x'.repeat(4096)}`), notAString),
};
/** A QOM property name: 1..1024 characters. */
const qomProperty: Field = {
  required: true,
  valid: same(fc.string({ minLength: 1, maxLength: 40 })),
  invalid: fc.oneof(fc.constant(''), fc.constant('x'.repeat(1025)), notAString),
};

/** Every request's fields; the Record type makes a new request a compile error here. */
export const REQUEST_FIELDS: Record<RequestName, Readonly<Record<string, Field>>> = {
  getAppInfo: {},
  listVms: {},
  addVm: { label, target: target(true), autoConnect: boolean(false, true) },
  updateVm: { id: vmId, label, target: target(false), autoConnect: boolean(false) },
  removeVm: { id: vmId },
  connectVm: { id: vmId },
  disconnectVm: { id: vmId },
  executeCommand: {
    vmId,
    command: {
      required: true,
      valid: same(fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/)),
      invalid: fc.oneof(fc.constantFrom('', 'query status', 'stop;cont', 'bad name!', 'x'.repeat(129), 'a/b'), notAString),
    },
    argumentsJson: { required: false, valid: same(fc.string({ maxLength: 40 })), invalid: fc.oneof(fc.constant('x'.repeat(1024 * 1024 + 1)), notAString) },
    timeoutMs: integer(1, 3_600_000, false),
    oob: boolean(false),
  },
  getEvents: { afterSeq: integer(-1, undefined, true), limit: integer(1, 100_000, false, 10_000), newest: boolean(false), maxBytes: integer(1, 16 * 1024 * 1024, false) },
  ackEvents: { flow: flowId, seq: integer(-1, undefined, true) },
  getDemo: {},
  startDemo: {},
  stopDemo: {},
  listDiscovered: {},
  getDiscoveryFolders: {},
  setDiscoveryFolders: {
    folders: {
      required: true,
      valid: same(fc.array(fc.string({ maxLength: 30 }).map((rest) => `/${rest}`), { maxLength: 32 })),
      invalid: fc.oneof(
        fc.constantFrom(['relative/path'], [''], ['/ok', 'rel'], ['/x'.repeat(2049)], '/tmp', null),
        fc.constant(Array.from({ length: 33 }, (_, i) => `/f${i}`)),
        fc.constant([42]),
      ),
    },
  },
  setVmSharing: { id: vmId, enabled: boolean(true) },
  getSchema: { vmId },
  getHmpCommands: { vmId },
  getWire: { vmId, afterSeq: integer(-1, undefined, true), maxTextChars: integer(1, 64 * 1024 * 1024, false) },
  watchSamples: { vmId, intervalMs: integer(250, 60_000, false) },
  getSamples: { vmId, afterSeq: integer(-1, undefined, true) },
  getScreenshot: { vmId },
  dismissJob: {
    vmId,
    id: { required: true, valid: same(fc.string({ minLength: 1, maxLength: 60 })), invalid: fc.oneof(fc.constantFrom('', 'x'.repeat(257)), notAString) },
  },
  qomList: { vmId, path: qomPathField },
  qomGet: { vmId, path: qomPathField, property: qomProperty },
  qomSet: {
    vmId,
    path: qomPathField,
    property: qomProperty,
    valueJson: { required: true, valid: same(fc.string({ minLength: 1, maxLength: 40 })), invalid: fc.oneof(fc.constant(''), fc.constant('x'.repeat(1024 * 1024 + 1)), notAString) },
  },
  getHistory: {},
  addHistory: {
    vmId,
    mode: { required: true, valid: same(fc.constantFrom('qmp', 'hmp')), invalid: fc.constantFrom('QMP', '', 'shell', 1, null) },
    text: { required: true, valid: same(fc.string({ minLength: 1, maxLength: 60 })), invalid: fc.oneof(fc.constant(''), fc.constant('x'.repeat(64 * 1024 + 1)), notAString) },
    at: { required: true, valid: same(fc.integer({ min: 0 })), invalid: fc.constantFrom('1', null, Number.NaN, Number.POSITIVE_INFINITY, true) },
  },
};

/** A payload with the verdict it must get. */
export type Case =
  | { readonly valid: true; readonly sent: unknown; readonly received: Readonly<Record<string, unknown>> }
  | { readonly valid: false; readonly sent: unknown; readonly mutation: string };

/** Valid payloads: every required field, any subset of the optional ones, defaults filled in. */
export function validCase(name: RequestName): fc.Arbitrary<Case> {
  const fields = Object.entries(REQUEST_FIELDS[name]);
  const parts = fields.map(([key, field]) => {
    const present = field.valid.map((value) => ({ key, ...value }));
    return field.required ? present : fc.option(present, { nil: undefined });
  });
  const objects = fc.tuple(...parts).map((values): Case => {
    const sent: Record<string, unknown> = {};
    const received: Record<string, unknown> = {};
    fields.forEach(([key, field], index) => {
      const value = values[index];
      if (value !== undefined) {
        sent[key] = value.sent;
        received[key] = value.received;
      } else if (field.absentAs !== undefined) {
        received[key] = field.absentAs;
      }
    });
    return { valid: true, sent, received };
  });
  // A request with no required field may be sent with no payload at all (`params ?? {}`).
  const anyRequired = fields.some(([, field]) => field.required);
  if (anyRequired) return objects;
  const defaults = Object.fromEntries(fields.filter(([, f]) => f.absentAs !== undefined).map(([key, f]) => [key, f.absentAs]));
  return fc.oneof(objects, fc.constantFrom(undefined, null).map((sent): Case => ({ valid: true, sent, received: defaults })));
}

/** Invalid payloads: a valid one with one known mutation that no reading of the contract allows. */
export function invalidCase(name: RequestName): fc.Arbitrary<Case> {
  const fields = Object.entries(REQUEST_FIELDS[name]);
  const base = validCase(name).map((c) => (typeof c.sent === 'object' && c.sent !== null ? { ...(c.sent as Record<string, unknown>) } : {}));
  const mutations: Array<fc.Arbitrary<Case>> = [
    fc
      .tuple(base, fc.constantFrom('extra', 'toString', 'constructor', 'valueOf', 'ID', 'Target'), fc.jsonValue())
      .filter(([, key]) => !Object.hasOwn(REQUEST_FIELDS[name], key))
      .map(([payload, key, value]): Case => ({ valid: false, sent: { ...payload, [key]: value }, mutation: `unknown key ${key}` })),
    fc
      .oneof(fc.integer(), fc.string(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 }))
      .map((sent): Case => ({ valid: false, sent, mutation: 'not an object' })),
  ];
  for (const [key, field] of fields) {
    mutations.push(fc.tuple(base, field.invalid).map(([payload, bad]): Case => ({ valid: false, sent: { ...payload, [key]: bad }, mutation: `bad ${key}` })));
    if (field.required) {
      mutations.push(
        base.map((payload): Case => {
          const { [key]: _dropped, ...rest } = payload;
          return { valid: false, sent: rest, mutation: `no ${key}` };
        }),
      );
      mutations.push(fc.constantFrom(undefined, null).map((sent): Case => ({ valid: false, sent, mutation: `no payload, so no ${key}` })));
    }
  }
  return fc.oneof(...mutations);
}
