/**
 * Pending-command bookkeeping: correlation, timeouts, aborts, late replies and mass failure.
 */
import { describe, expect, it } from 'vitest';
import { QmpAbortError, QmpCommandError, QmpConnectionError, QmpTimeoutError } from '../../../electron/core/qmp/errors';
import { PendingCommands } from '../../../electron/core/qmp/pending-commands';

describe('PendingCommands', () => {
  it('resolves and rejects by id and reports unknown ids', async () => {
    const pending = new PendingCommands();
    const a = pending.add('a', 'query-status', undefined, undefined);
    const b = pending.add('b', 'cont', undefined, undefined);
    expect(pending.resolve('b', {})).toBe('matched');
    expect(pending.reject('a', new QmpCommandError('GenericError', 'no'))).toBe('matched');
    expect(pending.resolve('a', {})).toBe('unknown');
    expect(pending.resolve(undefined, {})).toBe('unknown');
    expect(pending.resolve(42, {})).toBe('unknown');
    await expect(b).resolves.toEqual({});
    await expect(a).rejects.toBeInstanceOf(QmpCommandError);
    expect(pending.size).toBe(0);
  });

  it('times out, then recognises the late reply once', async () => {
    const pending = new PendingCommands();
    await expect(pending.add('t', 'query-status', 5, undefined)).rejects.toEqual(new QmpTimeoutError('no reply to query-status within 5 ms'));
    expect(pending.resolve('t', {})).toBe('late');
    expect(pending.resolve('t', {})).toBe('unknown');
  });

  it('rejects on abort and removes its abort listener once settled', async () => {
    const pending = new PendingCommands();
    const controller = new AbortController();
    const aborted = pending.add('x', 'stop', undefined, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(QmpAbortError);
    const reused = pending.add('y', 'cont', undefined, new AbortController().signal);
    pending.resolve('y', 1);
    await expect(reused).resolves.toBe(1);
  });

  it('fails everything with a per-command reason and keeps nothing armed', async () => {
    const pending = new PendingCommands();
    const first = pending.add('1', 'query-status', 60_000, undefined);
    const second = pending.add('2', 'query-name', 60_000, undefined);
    expect(pending.commandNames()).toEqual(['query-status', 'query-name']);
    pending.failAll((command) => new QmpConnectionError(`gone while waiting for ${command}`));
    await expect(first).rejects.toThrow('gone while waiting for query-status');
    await expect(second).rejects.toThrow('gone while waiting for query-name');
    expect(pending.size).toBe(0);
  });

  it('gives an id-less error to the only command waiting, and fails all at once when several wait', async () => {
    const pending = new PendingCommands();
    const ambiguous = (names: readonly string[]) => new QmpConnectionError(`any of ${names.join(', ')}`);
    const refusal = new QmpCommandError('GenericError', 'JSON parse error');
    expect(pending.rejectUnaddressed(refusal, ambiguous)).toBe('unknown');
    const only = pending.add(1, 'human-monitor-command', undefined, undefined);
    expect(pending.rejectUnaddressed(refusal, ambiguous)).toBe('matched');
    await expect(only).rejects.toBe(refusal);
    const a = pending.add(2, 'stop', undefined, undefined);
    const b = pending.add(3, 'cont', undefined, undefined);
    expect(pending.rejectUnaddressed(refusal, ambiguous)).toBe('matched');
    await expect(a).rejects.toThrow('any of stop, cont');
    await expect(b).rejects.toThrow('any of stop, cont');
    expect(pending.size).toBe(0);
    // Their real replies, if they still come, are late, not foreign.
    expect(pending.resolve(3, {})).toBe('late');
  });
});
