import { describe, expect, it } from 'vitest';
import { buildSchemaModel, type SchemaType } from '../../../electron/common/qapi';
import { schemaInfo72, schemaModel72 } from '../../support/schema-fixture';

type Raw = Record<string, unknown>;
const raw = (): Raw[] => schemaInfo72() as Raw[];
const countOf = (metaType: string): number => raw().filter((entry) => entry['meta-type'] === metaType).length;

/** Every type reachable from the model's commands and events, each once. */
function reachable(roots: readonly SchemaType[]): Set<SchemaType> {
  const seen = new Set<SchemaType>();
  const todo = [...roots];
  while (todo.length > 0) {
    const type = todo.pop()!;
    if (seen.has(type)) continue;
    seen.add(type);
    if (type.kind === 'array') todo.push(type.element);
    if (type.kind === 'alternate') todo.push(...type.members);
    if (type.kind === 'object') todo.push(...type.members.map((m) => m.type), ...type.variants.map((v) => v.type));
  }
  return seen;
}

describe('the schema model of real QEMU 7.2', () => {
  const model = schemaModel72();

  it('has as many commands, events and types as the reply has entries', () => {
    expect(model.commands.size).toBe(countOf('command'));
    expect(model.events.size).toBe(countOf('event'));
    const typeCount = ['builtin', 'enum', 'array', 'object', 'alternate'].reduce((sum, kind) => sum + countOf(kind), 0);
    expect(model.types.size).toBe(typeCount);
    // The recorded 7.2.22 reply, so a fixture swap shows up here.
    expect([model.commands.size, model.events.size, model.types.size]).toEqual([216, 52, 783]);
  });

  it('resolves every command and every type name; nothing is left unresolved', () => {
    expect(model.unresolved).toEqual([]);
    for (const entry of raw().filter((e) => e['meta-type'] === 'command')) {
      const info = model.commands.get(entry['name'] as string)!;
      expect(info.args, `${info.name} args`).toBe(model.type(entry['arg-type'] as string));
      expect(info.returns, `${info.name} returns`).toBe(model.type(entry['ret-type'] as string));
    }
    for (const event of model.events.values()) expect(event.data, event.name).toBeDefined();
    const roots = [...model.commands.values()].flatMap((c) => [c.args!, c.returns!]);
    for (const type of reachable([...roots, ...[...model.events.values()].map((e) => e.data!)])) {
      expect(model.types.get(type.name), type.name).toBe(type);
    }
  });

  it('resolves masked names to their structure', () => {
    const empty = model.type('0');
    expect(empty).toMatchObject({ kind: 'object', members: [], variants: [] });
    const args = model.commands.get('device_del')!.args!;
    expect(args.members.map((m) => [m.name, m.type.name, m.optional])).toEqual([['id', 'str', false]]);
    const blockdevAdd = model.commands.get('blockdev-add')!.args!;
    expect(blockdevAdd.tag).toBe('driver');
    const qcow2 = blockdevAdd.variants.find((v) => v.case === 'qcow2')!.type;
    const file = qcow2.members.find((m) => m.name === 'file')!;
    expect(file.type.kind).toBe('alternate');
  });

  it('keeps allow-oob and the deprecated and unstable features', () => {
    const oob = [...model.commands.values()].filter((c) => c.allowOob).map((c) => c.name).sort();
    expect(oob).toEqual(['migrate-pause', 'migrate-recover', 'query-yank', 'yank']);
    expect(model.commands.get('drive-backup')!.deprecated).toBe(true);
    expect(model.commands.get('x-query-jit')!.unstable).toBe(true);
    expect(model.commands.get('query-status')!.deprecated).toBe(false);
    const eject = model.commands.get('eject')!.args!.members.find((m) => m.name === 'device')!;
    expect(eject).toMatchObject({ deprecated: true, optional: true });
    const capability = model.commands.get('migrate-set-capabilities')!.args!.members[0]!.type;
    expect(capability.kind).toBe('array');
  });
});

describe('buildSchemaModel on damaged or hand-made input', () => {
  it('skips entries it cannot read and lists names that are never defined', () => {
    const model = buildSchemaModel([
      null,
      42,
      'x',
      { name: 'broken' },
      { name: 'c', 'meta-type': 'command', 'arg-type': 'A', 'ret-type': 'missing' },
      { name: 'A', 'meta-type': 'object', members: [{ name: 'x', type: 'nowhere' }, { bad: true }] },
    ]);
    expect(model.commands.get('c')!.args!.members.map((m) => m.name)).toEqual(['x']);
    expect([...model.unresolved].sort()).toEqual(['missing', 'nowhere']);
  });

  it('knows the sized integer types even when the schema does not list them', () => {
    const model = buildSchemaModel([{ name: 'S', 'meta-type': 'object', members: [{ name: 'a', type: 'uint8' }] }]);
    expect(model.unresolved).toEqual([]);
    expect(model.type('uint8')).toMatchObject({ kind: 'builtin', json: 'int', range: { min: 0n, max: 255n } });
  });

  it('reads enum values with features, and the bare values list of older QEMUs', () => {
    const model = buildSchemaModel([
      { name: 'E', 'meta-type': 'enum', members: [{ name: 'old', features: ['deprecated'] }, { name: 'new' }], values: ['old', 'new'] },
      { name: 'F', 'meta-type': 'enum', values: ['a', 'b'] },
    ]);
    expect(model.type('E')).toMatchObject({ values: [{ name: 'old', deprecated: true }, { name: 'new', deprecated: false }] });
    expect(model.type('F')).toMatchObject({ values: [{ name: 'a' }, { name: 'b' }] });
  });
});
