import { describe, expect, it } from 'vitest';
import { describeError, errorReplyFor, exitCodeFor } from '../../../electron/cli/cli-errors';
import { complete } from '../../../electron/cli/shell-completion';
import { QmpCommandError, QmpConnectionError, QmpProtocolError, QmpTimeoutError } from '../../../electron/core/qmp/errors';

describe('describeError', () => {
  it('writes command errors as CLASS: DESC', () => {
    expect(describeError(new QmpCommandError('CommandNotFound', 'The command x has not been found'))).toBe(
      'CommandNotFound: The command x has not been found',
    );
  });

  it('keeps any error on one line', () => {
    expect(describeError(new Error('first\r\n   second\nthird'))).toBe('first second third');
    expect(describeError('plain string')).toBe('plain string');
    expect(describeError(new Error(''))).toBe('Error');
    expect(describeError(undefined)).toBe('undefined');
  });
});

describe('exit codes and shell error replies', () => {
  it('uses 1 only for QEMU error replies', () => {
    expect(exitCodeFor(new QmpCommandError('GenericError', 'x'))).toBe(1);
    expect(exitCodeFor(new QmpConnectionError('gone'))).toBe(2);
    expect(exitCodeFor(new TypeError('bug'))).toBe(2);
  });

  it('names client-side failures with their own classes', () => {
    expect(errorReplyFor(new QmpCommandError('DeviceNotFound', 'no vblk9'))).toEqual({ class: 'DeviceNotFound', desc: 'no vblk9' });
    expect(errorReplyFor(new QmpTimeoutError('no reply to x'))).toEqual({ class: 'Timeout', desc: 'no reply to x' });
    expect(errorReplyFor(new QmpProtocolError('bad'))).toEqual({ class: 'ProtocolError', desc: 'bad' });
    expect(errorReplyFor(new RangeError('oops'))).toEqual({ class: 'InternalError', desc: 'oops' });
  });
});

describe('complete (Tab in the interactive shell)', () => {
  const names = ['query-kvm', 'query-name', 'query-status', 'stop'];

  it('completes the command name', () => {
    expect(complete(names, 'query-k')).toEqual([['query-kvm'], 'query-k']);
    expect(complete(names, 'query-')).toEqual([['query-kvm', 'query-name', 'query-status'], 'query-']);
    expect(complete(names, '')).toEqual([names, '']);
    expect(complete(names, 'zzz')).toEqual([[], 'zzz']);
  });

  it('leaves arguments and JSON alone', () => {
    expect(complete(names, 'stop x')).toEqual([[], 'stop x']);
    expect(complete(names, '{"execute"')).toEqual([[], '{"execute"']);
  });
});
