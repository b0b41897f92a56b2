import { describe, expect, it } from 'vitest';
import { buildSchemaModel, checkCommandText, type Diagnostic } from '../../../electron/common/qapi';
import { schemaModel72 } from '../../support/schema-fixture';

const model = schemaModel72();

/** Each diagnostic as [severity, the text it underlines, a part of its message]. */
function check(text: string, options?: { oobNegotiated?: boolean }): [Diagnostic['severity'], string, string][] {
  return checkCommandText(model, text, options).map((d) => [d.severity, text.slice(d.from, d.to), d.message]);
}

/** Asserts exactly one diagnostic, underlining `culprit`, whose message contains `message`. */
function expectOne(text: string, severity: Diagnostic['severity'], culprit: string, message: string, options?: { oobNegotiated?: boolean }): void {
  const found = check(text, options);
  expect(found, text).toHaveLength(1);
  expect(found[0]![0], text).toBe(severity);
  expect(found[0]![1], text).toBe(culprit);
  expect(found[0]![2], text).toContain(message);
}

describe('checkCommandText against the real 7.2 schema', () => {
  it('accepts valid commands in both forms', () => {
    for (const text of [
      'query-status',
      'stop',
      'device_del id=vblk0',
      '{"execute": "device_del", "arguments": {"id": "vblk0"}}',
      'blockdev-add driver=qcow2 node-name=d0 file=f0',
      'blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/tmp/a.qcow2',
      '{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"d0","file":{"driver":"file","filename":"/a"}}}',
      'migrate-set-capabilities capabilities=[{"capability":"xbzrle","state":true}]',
      'migrate-set-parameters tls-creds=null max-bandwidth=18446744073709551615',
      'human-monitor-command command-line="info status"',
      '!query-yank',
    ]) {
      expect(check(text, { oobNegotiated: true }), text).toEqual([]);
    }
  });

  it('flags an unknown command on its name, with a suggestion', () => {
    expectOne('query-statu', 'error', 'query-statu', 'did you mean');
    expectOne('{"execute": "query_status"}', 'error', '"query_status"', "unknown command 'query_status' (did you mean query-status");
  });

  it('flags an unknown argument on its key', () => {
    expectOne('device_del id=x idd=y', 'error', 'idd', "unknown argument 'idd'");
    expectOne('{"execute": "device_del", "arguments": {"id": "x", "idd": "y"}}', 'error', '"idd"', "unknown argument 'idd'");
    expectOne('stop now=1', 'error', 'now', 'it takes none');
  });

  it('flags a missing required argument on the command, or on the object that lacks it', () => {
    expectOne('device_del', 'error', 'device_del', "missing required argument 'id'");
    expectOne('{"execute": "device_del", "arguments": {}}', 'error', '{}', "missing required argument 'id'");
    expectOne('{"execute": "device_del"}', 'error', '"device_del"', "missing required argument 'id'");
    const nested = '{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"d","file":{"filename":"/a"}}}';
    expectOne(nested, 'error', '{"filename":"/a"}', "missing required argument 'file.driver'");
  });

  it('flags a wrong type, nested objects and arrays included', () => {
    expectOne('device_del id=1', 'error', '1', "'id' expects str, got int");
    expectOne('{"execute": "device_del", "arguments": {"id": true}}', 'error', 'true', 'expects str, got bool');
    expectOne('blockdev-add driver=qcow2 node-name=d file=f cache.direct=yes', 'error', 'yes', "'cache.direct' expects bool, got str");
    expectOne('migrate-set-capabilities capabilities=[{"capability":"xbzrle","state":1}]', 'error', '[{"capability":"xbzrle","state":1}]', "'capabilities.0.state' expects bool");
    expectOne('{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"xbzrle","state":1}]}}', 'error', '1', "'capabilities.0.state' expects bool");
    expectOne('migrate-set-capabilities capabilities={}', 'error', '{}', 'expects [object], got object');
  });

  it('flags integers out of range, beyond 2^53 too, and floats written where an int is wanted', () => {
    expectOne('{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":18446744073709551616}}', 'error', '18446744073709551616', 'out of range for int (-9223372036854775808 to 18446744073709551615)');
    expectOne('migrate-set-parameters max-bandwidth=-9223372036854775809', 'error', '-9223372036854775809', 'out of range');
    expect(check('migrate-set-parameters max-bandwidth=-9223372036854775808')).toEqual([]);
    expectOne('{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":1.0}}', 'error', '1.0', 'expects int, got');
    expectOne('migrate-set-parameters max-bandwidth=1e3', 'error', '1e3', 'expects int');
  });

  it('checks every sized integer type exactly at its bounds', () => {
    const sized = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'size'];
    const hand = buildSchemaModel([
      { name: 'c', 'meta-type': 'command', 'arg-type': 'A', 'ret-type': 'A' },
      { name: 'A', 'meta-type': 'object', members: sized.map((name) => ({ name, type: name, default: null })) },
    ]);
    const bounds: Record<string, [bigint, bigint]> = {
      int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
      uint8: [0n, 255n], uint16: [0n, 65535n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n], size: [0n, 2n ** 64n - 1n],
    };
    for (const name of sized) {
      const [min, max] = bounds[name]!;
      expect(checkCommandText(hand, `c ${name}=${min} `), `${name} min`).toEqual([]);
      expect(checkCommandText(hand, `c ${name}=${max}`), `${name} max`).toEqual([]);
      for (const outside of [min - 1n, max + 1n]) {
        const text = `c ${name}=${outside}`;
        const [d] = checkCommandText(hand, text);
        expect(d?.message, text).toContain(`out of range for ${name}`);
        expect(text.slice(d!.from, d!.to)).toBe(String(outside));
      }
    }
  });

  it('flags a value not in the enum on the value', () => {
    expectOne('blockdev-add driver=qcow3 node-name=d', 'error', 'qcow3', "'qcow3' is not a value of 'driver'");
    expectOne('{"execute":"blockdev-add","arguments":{"driver":"qcow2","node-name":"d","file":{"driver":"nope","filename":"/a"}}}', 'error', '"nope"', "is not a value of 'file.driver'");
  });

  it('flags an alternate given a value of none of its kinds', () => {
    expectOne('blockdev-add driver=qcow2 node-name=d file=5', 'error', '5', "'file' expects object | str, got int");
    expectOne('migrate-set-parameters tls-creds=true', 'error', 'true', 'expects str | null, got bool');
  });

  it('flags exec-oob for a command without allow-oob, or without OOB negotiated', () => {
    expectOne('!query-status', 'error', 'query-status', 'does not allow exec-oob (only');
    expectOne('{"exec-oob": "query-status"}', 'error', '"query-status"', 'does not allow exec-oob');
    expectOne('!query-yank', 'error', 'query-yank', 'not negotiated', { oobNegotiated: false });
    expect(check('!query-yank', { oobNegotiated: true })).toEqual([]);
  });

  it('warns about deprecated commands and arguments', () => {
    expectOne('{"execute":"nbd-server-remove","arguments":{"name":"x"}}', 'warning', '"nbd-server-remove"', 'deprecated');
    expectOne('eject device=ide0-cd0', 'warning', 'device', "'device' is deprecated");
  });

  it('warns about a deprecated enum value, and skips members of a union whose tag is not known yet', () => {
    const hand = buildSchemaModel([
      { name: 'c', 'meta-type': 'command', 'arg-type': 'A', 'ret-type': 'A' },
      { name: 'A', 'meta-type': 'object', members: [{ name: 'mode', type: 'E' }], tag: 'mode', variants: [{ case: 'new', type: 'B' }] },
      { name: 'B', 'meta-type': 'object', members: [{ name: 'size', type: 'int' }] },
      { name: 'E', 'meta-type': 'enum', members: [{ name: 'old', features: ['deprecated'] }, { name: 'new' }] },
    ]);
    const text = 'c mode=old';
    const [warning] = checkCommandText(hand, text);
    expect(warning).toMatchObject({ severity: 'warning', message: "'old' is deprecated for 'mode'", path: ['mode'] });
    expect(text.slice(warning!.from, warning!.to)).toBe('old');
    // Without a known tag value, `size` may be right; only the tag is flagged.
    expect(checkCommandText(hand, 'c mode=nope size=1').map((d) => d.message)).toEqual(["'nope' is not a value of 'mode' (one of old, new)"]);
    expect(checkCommandText(hand, 'c mode=new size=x').map((d) => d.message)).toEqual(["'size' expects int, got str"]);
    expect(checkCommandText(hand, 'c mode=new size=1 bogus=1').map((d) => d.message)).toEqual(["unknown argument 'bogus' in c's arguments (expected mode, size)"]);
  });

  it('does not judge OOB negotiation it was not told about', () => {
    expect(check('!query-yank')).toEqual([]);
  });

  it("lets device_add take device properties the schema cannot list", () => {
    expect(check('device_add driver=virtio-blk-pci drive=d0 id=vblk0 serial=abc')).toEqual([]);
    expectOne('device_add drive=d0', 'error', 'device_add', "missing required argument 'driver'");
  });

  it('turns a parse error into one diagnostic at the fault', () => {
    expectOne('device_del id="x', 'error', '"x', 'unterminated');
    expectOne('{"execute": "stop"', 'error', '', "expected ',' or '}'");
  });
});
