/**
 * Target parsing: every accepted form, round trips, and clear refusals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTarget, parseTarget } from '../../../electron/core/qmp/target';

describe('parseTarget', () => {
  it.each([
    ['unix:/tmp/q.sock', { kind: 'unix', path: '/tmp/q.sock' }],
    ['unix:relative.sock', { kind: 'unix', path: 'relative.sock' }],
    ['/run/qemu/vm1.qmp', { kind: 'unix', path: '/run/qemu/vm1.qmp' }],
    ['./vm.sock', { kind: 'unix', path: './vm.sock' }],
    ['tcp:127.0.0.1:4444', { kind: 'tcp', host: '127.0.0.1', port: 4444 }],
    ['localhost:1', { kind: 'tcp', host: 'localhost', port: 1 }],
    ['[::1]:65535', { kind: 'tcp', host: '::1', port: 65535 }],
    ['tcp:[fe80::1]:4444', { kind: 'tcp', host: 'fe80::1', port: 4444 }],
    ['  vm.example:4444 ', { kind: 'tcp', host: 'vm.example', port: 4444 }],
  ])('reads %j', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['unix:', /no socket path/],
    ['vm1.sock', /not understood/],
    ['host:', /no valid port/],
    ['host:0', /outside 1-65535/],
    ['host:70000', /outside 1-65535/],
    ['host:44a', /no valid port/],
    [':4444', /no host/],
    ['::1:4444', /brackets/],
    ['[::1]4444', /\[ADDRESS\]:PORT/],
    ['tcp:/tmp/x', /not understood/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseTarget(text)).toThrow(message);
  });
});

describe('formatTarget', () => {
  it('writes the prefixed canonical form, bracketing IPv6', () => {
    expect(formatTarget({ kind: 'unix', path: '/tmp/a b.sock' })).toBe('unix:/tmp/a b.sock');
    expect(formatTarget({ kind: 'tcp', host: '::1', port: 4444 })).toBe('tcp:[::1]:4444');
    expect(formatTarget({ kind: 'tcp', host: '10.0.0.2', port: 1 })).toBe('tcp:10.0.0.2:1');
  });

  it('round-trips through parseTarget', () => {
    const host = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6());
    const target = fc.oneof(
      fc.record({ kind: fc.constant('unix' as const), path: fc.string({ minLength: 1 }).filter((p) => p.trim() === p) }),
      fc.record({ kind: fc.constant('tcp' as const), host, port: fc.integer({ min: 1, max: 65535 }) }),
    );
    fc.assert(
      fc.property(target, (t) => {
        expect(parseTarget(formatTarget(t))).toEqual(t);
      }),
    );
  });
});
