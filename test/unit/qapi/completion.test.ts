import { describe, expect, it } from 'vitest';
import { completeAt, completeHmpAt, membersFor, signatureOf, type Completion } from '../../../electron/common/qapi';
import { schemaModel72 } from '../../support/schema-fixture';

const model = schemaModel72();

/** Completion at the end of `text`, or at the `|` in it. */
function complete(marked: string): { completion: Completion; text: string; labels: string[] } {
  const offset = marked.includes('|') ? marked.indexOf('|') : marked.length;
  const text = marked.replace('|', '');
  const completion = completeAt(model, text, offset);
  if (completion === null) throw new Error(`no completion for ${marked}`);
  return { completion, text, labels: completion.options.map((o) => o.label) };
}

const argNames = (command: string): string[] => model.commands.get(command)!.args!.members.map((m) => m.name);

describe('completeAt against the real 7.2 schema', () => {
  it('completes query-st to query-status in both forms, replacing what is typed', () => {
    const short = complete('query-st');
    expect(short.labels).toContain('query-status');
    expect(short.labels.every((l) => l.startsWith('query-st'))).toBe(true);
    expect([short.completion.from, short.completion.to]).toEqual([0, 8]);
    const json = complete('{"execute": "query-st');
    expect(json.labels).toContain('query-status');
    expect(json.text.slice(json.completion.from, json.completion.to)).toBe('query-st');
    const status = json.completion.options.find((o) => o.label === 'query-status')!;
    expect(status).toMatchObject({ kind: 'command', info: 'query-status()' });
    // Without an opening quote the option brings its own.
    expect(complete('{"execute": ').completion.options.find((o) => o.label === 'stop')!.apply).toBe('"stop"');
  });

  it('marks deprecated commands and lists them after the others', () => {
    const { completion } = complete('nbd-server-');
    const remove = completion.options.find((o) => o.label === 'nbd-server-remove')!;
    expect(remove).toMatchObject({ deprecated: true, detail: 'command, deprecated' });
    expect(completion.options.at(-1)!.deprecated).toBe(true);
    expect(complete('query-y').completion.options.find((o) => o.label === 'query-yank')!.detail).toBe('command, allow-oob');
  });

  it("offers device_add's and blockdev-add's arguments from the schema, with type and whether required", () => {
    const device = complete('device_add ');
    expect([...device.labels].sort()).toEqual(argNames('device_add').sort());
    expect(device.completion.options.find((o) => o.label === 'driver')).toMatchObject({ kind: 'argument', detail: 'str, required', apply: 'driver=' });
    const block = complete('blockdev-add ');
    expect([...block.labels].sort()).toEqual(argNames('blockdev-add').sort());
    expect(block.labels[0]).toBe('driver');
    expect(block.completion.options.find((o) => o.label === 'cache')!.apply).toBe('cache.');
    const json = complete('{"execute": "blockdev-add", "arguments": {');
    expect([...json.labels].sort()).toEqual(argNames('blockdev-add').sort());
    expect(json.completion.options.find((o) => o.label === 'driver')!.apply).toBe('"driver": ');
  });

  it("offers blockdev-add's driver enum values, in both forms", () => {
    const driver = model.commands.get('blockdev-add')!.args!.members.find((m) => m.name === 'driver')!.type;
    const enumValues = driver.kind === 'enum' ? driver.values.map((v) => v.name) : [];
    expect(enumValues).toContain('qcow2');
    expect(complete('blockdev-add driver=').labels).toEqual(enumValues);
    expect(complete('blockdev-add driver=qc').labels).toEqual(['qcow', 'qcow2']);
    const json = complete('{"execute": "blockdev-add", "arguments": {"driver": "qc');
    expect(json.labels).toEqual(['qcow', 'qcow2']);
    expect(json.completion.options[0]).toMatchObject({ kind: 'enum' });
    expect(complete('{"execute": "blockdev-add", "arguments": {"driver": ').completion.options.find((o) => o.label === 'raw')!.apply).toBe('"raw"');
  });

  it('replaces a quoted shorthand value inside its quotes, or whole before the opening quote', () => {
    const inside = complete('blockdev-add driver="qc|ow2" node-name=d');
    expect(inside.text.slice(inside.completion.from, inside.completion.to)).toBe('qcow2');
    expect(inside.labels).toEqual(['qcow', 'qcow2']);
    const before = complete('blockdev-add driver=|"qcow2"');
    expect(before.text.slice(before.completion.from, before.completion.to)).toBe('"qcow2"');
  });

  it('offers the variant members once the tag is known, without those already given', () => {
    const qcow2Members = membersFor(model.commands.get('blockdev-add')!.args!, { driver: 'qcow2' }).map((m) => m.name);
    expect(qcow2Members).toContain('backing');
    const short = complete('blockdev-add driver=qcow2 ');
    expect([...short.labels].sort()).toEqual(qcow2Members.filter((m) => m !== 'driver').sort());
    expect(short.labels[0]).toBe('file');
    const json = complete('{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "');
    expect(json.labels).toContain('backing');
    expect(json.labels).not.toContain('driver');
    expect(json.completion.options.find((o) => o.label === 'backing')!.apply).toBe('backing": ');
    // A driver written after the cursor still picks the variant when the text parses.
    expect(complete('{"execute": "blockdev-add", "arguments": {"|": 1, "driver": "qcow2"}}').labels).toContain('backing');
  });

  it('offers nested members: dotted keys in shorthand, nested objects in JSON', () => {
    const dotted = complete('blockdev-add driver=qcow2 file.');
    expect(dotted.labels).toContain('driver');
    expect(dotted.completion.from).toBe(dotted.text.length);
    expect(complete('blockdev-add driver=qcow2 file.driver=file file.').labels).toContain('filename');
    expect([...complete('blockdev-add driver=qcow2 cache.').labels].sort()).toEqual(['direct', 'no-flush']);
    const json = complete('{"execute": "blockdev-add", "arguments": {"driver": "qcow2", "file": {"driver": "file", "');
    expect(json.labels).toContain('filename');
    expect(json.completion.options.find((o) => o.label === 'filename')).toMatchObject({ kind: 'member', detail: 'str, required' });
    const array = complete('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"');
    expect([...array.labels].sort()).toEqual(['capability', 'state']);
    expect(complete('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "xb').labels).toEqual(['xbzrle']);
  });

  it('offers booleans for a bool value', () => {
    expect(complete('blockdev-add driver=qcow2 read-only=').labels).toEqual(['true', 'false']);
    expect(complete('{"execute": "blockdev-add", "arguments": {"read-only": t').labels).toEqual(['true']);
    expect(complete('blockdev-add driver=qcow2 read-only=t').completion.options[0]).toMatchObject({ kind: 'boolean', detail: 'bool' });
  });

  it("offers a JSON command's own keys at the top level", () => {
    expect(complete('{"execute": "stop", ').labels).toEqual(['execute', 'arguments', 'id', 'exec-oob']);
  });

  it('has nothing to offer inside a free-form value or an unknown command', () => {
    expect(completeAt(model, 'device_del id=x', 15)).toBeNull();
    expect(completeAt(model, 'no-such-command ', 16)).toBeNull();
    expect(completeAt(model, '{"execute": "stop", "id": 12', 28)).toBeNull();
  });

  it('gives one-line signatures', () => {
    expect(signatureOf(model, 'device_del')).toBe('device_del(id: str)');
    expect(signatureOf(model, 'query-status')).toBe('query-status()');
    expect(signatureOf(model, 'blockdev-add')).toMatch(/^blockdev-add\(driver: enum, node-name\?: str, .*, …\)$/);
    expect(signatureOf(model, 'nope')).toBeUndefined();
  });
});

describe('completeHmpAt', () => {
  it('completes the first word from the names help gave', () => {
    const names = ['info', 'info status', 'stop', 'system_reset'];
    expect(completeHmpAt(names, 'sto', 3)).toEqual({ from: 0, to: 3, options: [{ label: 'stop', kind: 'hmp', detail: 'HMP command' }] });
    expect(completeHmpAt(names, 'info st', 7)?.options.map((o) => o.label)).toEqual(['info status']);
    expect(completeHmpAt(names, 'xyz', 3)).toBeNull();
  });
});
