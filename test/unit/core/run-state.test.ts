import { describe, expect, it } from 'vitest';
import { eventEffect } from '../../../electron/core/vm/run-state';
import { detailField, failureOutcome } from '../../../electron/core/vm/vm-details';
import { parseCommandArguments } from '../../../electron/core/service/command-arguments';
import { QmpCommandError, QmpTimeoutError } from '../../../electron/core/qmp/errors';

const at = { seconds: 1, microseconds: 0 };

describe('eventEffect', () => {
  it('maps run-state events to QEMU status names with the event as source', () => {
    expect(eventEffect({ event: 'STOP', timestamp: at }, 5).runState).toEqual({ status: 'paused', running: false, updatedAt: 5, source: 'event:STOP' });
    expect(eventEffect({ event: 'RESUME', timestamp: at }, 5).runState).toMatchObject({ status: 'running', running: true });
    expect(eventEffect({ event: 'SUSPEND', timestamp: at }, 5).runState?.status).toBe('suspended');
    expect(eventEffect({ event: 'GUEST_PANICKED', timestamp: at, data: { action: 'pause' } }, 5).runState?.status).toBe('guest-panicked');
  });

  it('keeps the SHUTDOWN reason and asks to re-read ambiguous events', () => {
    const shutdown = eventEffect({ event: 'SHUTDOWN', timestamp: at, data: { guest: false, reason: 'host-qmp-quit' } }, 5);
    expect(shutdown.runState?.source).toBe('event:SHUTDOWN (host-qmp-quit)');
    expect(shutdown.rereadStatus).toBe(true);
    const reset = eventEffect({ event: 'RESET', timestamp: at, data: { guest: true, reason: 'guest-reset' } }, 5);
    expect(reset.runState).toBeUndefined();
    expect(reset.rereadStatus).toBe(true);
    expect(eventEffect({ event: 'STOP', timestamp: at }, 5).rereadStatus).toBe(false);
  });

  it('marks details stale for device and block events only', () => {
    expect(eventEffect({ event: 'DEVICE_DELETED', timestamp: at }, 1).staleDetails).toEqual(['memory', 'cpus', 'block']);
    expect(eventEffect({ event: 'BLOCK_JOB_COMPLETED', timestamp: at }, 1).staleDetails).toEqual(['block']);
    expect(eventEffect({ event: 'RTC_CHANGE', timestamp: at }, 1).staleDetails).toEqual([]);
  });
});

describe('detailField / failureOutcome', () => {
  it('shows missing or inapplicable commands as unavailable, transport failures as errors', () => {
    expect(detailField({ ok: false, error: new QmpCommandError('CommandNotFound', "The command query-vnc has not been found") })).toEqual({
      status: 'unavailable',
      reason: 'CommandNotFound: The command query-vnc has not been found',
    });
    expect(detailField({ ok: false, error: new QmpCommandError('GenericError', 'VNC is disabled') }).status).toBe('unavailable');
    expect(detailField({ ok: false, error: new QmpTimeoutError('no reply in 30 s') })).toEqual({ status: 'error', errorClass: 'timeout', desc: 'no reply in 30 s' });
    expect(detailField({ ok: true, value: { enabled: false } }, 7)).toEqual({ status: 'ok', json: '{"enabled":false}', readAt: 7 });
  });

  it('reports QMP class/desc or the core kind', () => {
    expect(failureOutcome(new QmpCommandError('GenericError', 'bad'), 3)).toEqual({ ok: false, errorClass: 'GenericError', desc: 'bad', durationMs: 3 });
    expect(failureOutcome(new QmpTimeoutError('late'), 3)).toEqual({ ok: false, errorClass: 'timeout', desc: 'late', durationMs: 3 });
  });
});

describe('parseCommandArguments', () => {
  it('accepts objects (losslessly), blank text and refuses everything else with a reason', () => {
    expect(parseCommandArguments(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseCommandArguments('  ')).toEqual({ ok: true, value: undefined });
    expect(parseCommandArguments('{"size": 18446744073709551615}')).toEqual({ ok: true, value: { size: 18446744073709551615n } });
    expect(parseCommandArguments('[1]')).toMatchObject({ ok: false, reason: expect.stringMatching(/must be a JSON object/) });
    expect(parseCommandArguments('{oops')).toMatchObject({ ok: false, reason: expect.stringMatching(/not valid JSON/) });
  });
});
