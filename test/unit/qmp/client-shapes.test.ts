/**
 * Greeting validation and message shaping: what the client accepts, repairs or refuses.
 */
import { describe, expect, it } from 'vitest';
import { QmpCommandError, QmpProtocolError } from '../../../electron/core/qmp/errors';
import { parseGreeting } from '../../../electron/core/qmp/greeting';
import { toCommandError, toEvent } from '../../../electron/core/qmp/message-shapes';
import type { JsonObject } from '../../../electron/common/json-text';

const greeting = (qmp: unknown): JsonObject => ({ QMP: qmp }) as JsonObject;

describe('parseGreeting', () => {
  it("reads QEMU 7.2's greeting", () => {
    const parsed = parseGreeting(greeting({ version: { qemu: { micro: 22, minor: 2, major: 7 }, package: 'Debian' }, capabilities: ['oob'] }));
    expect(parsed).toEqual({ version: { qemu: { major: 7, minor: 2, micro: 22 }, package: 'Debian' }, capabilities: ['oob'] });
  });

  it('tolerates a missing package string', () => {
    expect(parseGreeting(greeting({ version: { qemu: { major: 9, minor: 0, micro: 0 } }, capabilities: [] })).version.package).toBe('');
  });

  it.each([
    [{ return: {} }, /expected a QMP greeting.*keys return/],
    [greeting([]), /expected a QMP greeting/],
    [greeting({ capabilities: [] }), /version.qemu/],
    [greeting({ version: { qemu: { major: '7', minor: 2, micro: 0 } }, capabilities: [] }), /numeric major/],
    [greeting({ version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: 'oob' }), /array of strings/],
    [greeting({ version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: [1] }), /array of strings/],
  ])('refuses %j', (message, why) => {
    expect(() => parseGreeting(message as JsonObject)).toThrow(QmpProtocolError);
    expect(() => parseGreeting(message as JsonObject)).toThrow(why);
  });
});

describe('toEvent', () => {
  it('passes QEMU events through unchanged', () => {
    const event = { timestamp: { seconds: 1, microseconds: 2 }, event: 'STOP' } as JsonObject;
    expect(toEvent(event)).toBe(event);
  });

  it('stamps an event without a usable timestamp with our clock and drops non-object data', () => {
    const before = Math.floor(Date.now() / 1000);
    const event = toEvent({ event: 'ODD', timestamp: 'yesterday', data: [1] });
    expect(event.event).toBe('ODD');
    expect(event.timestamp.seconds).toBeGreaterThanOrEqual(before);
    expect(event).not.toHaveProperty('data');
  });
});

describe('toCommandError', () => {
  it('keeps class and desc', () => {
    expect(toCommandError({ class: 'CommandNotFound', desc: 'nope' })).toMatchObject({ errorClass: 'CommandNotFound', desc: 'nope' });
  });

  it('fills in what a broken peer left out', () => {
    expect(toCommandError('boom')).toBeInstanceOf(QmpCommandError);
    expect(toCommandError({})).toMatchObject({ errorClass: 'GenericError', desc: 'no description given' });
  });
});
