import { describe, expect, it } from 'vitest';
import { eventEffect, statusReadSource, touchesRunState, TRANSIENT_STATUSES, UNCONFIRMED_STOP_STATUS } from '../../../electron/core/vm/run-state';
import { detailField, failureOutcome } from '../../../electron/core/vm/vm-details';
import { parseCommandArguments } from '../../../electron/core/service/command-arguments';
import { QmpCommandError, QmpTimeoutError } from '../../../electron/core/qmp/errors';

const at = { seconds: 1, microseconds: 0 };

describe('eventEffect', () => {
  const running = { status: 'running', running: true, updatedAt: 1, source: 'query-status' };

  it('sets the status only for events that imply one, with the event as source', () => {
    expect(eventEffect({ event: 'RESUME', timestamp: at }, 5).runState).toEqual({ status: 'running', running: true, updatedAt: 5, source: 'event:RESUME' });
    expect(eventEffect({ event: 'SUSPEND', timestamp: at }, 5).runState?.status).toBe('suspended');
    expect(eventEffect({ event: 'GUEST_PANICKED', timestamp: at, data: { action: 'pause' } }, 5).runState?.status).toBe('guest-panicked');
    // With action run the guest keeps running; with poweroff a SHUTDOWN follows.
    expect(eventEffect({ event: 'GUEST_PANICKED', timestamp: at, data: { action: 'run' } }, 5)).toMatchObject({ rereadStatus: true });
    expect(eventEffect({ event: 'GUEST_PANICKED', timestamp: at, data: { action: 'run' } }, 5).runState).toBeUndefined();
  });

  it('never names the state a STOP led to: not running, unconfirmed, and query-status is asked', () => {
    const stop = eventEffect({ event: 'STOP', timestamp: at }, 5, running);
    expect(stop.runState).toEqual({ status: UNCONFIRMED_STOP_STATUS, running: false, updatedAt: 5, source: 'event:STOP (awaiting query-status)' });
    expect(stop.rereadStatus).toBe(true);
    expect(touchesRunState(stop)).toBe(true);
    // A state announced just before (SHUTDOWN with -no-shutdown) stays until query-status answers.
    const shutdown = { status: 'shutdown', running: false, updatedAt: 4, source: 'event:SHUTDOWN' };
    const after = eventEffect({ event: 'STOP', timestamp: at }, 5, shutdown);
    expect(after.runState).toBeUndefined();
    expect(after.rereadStatus).toBe(true);
  });

  it('keeps the SHUTDOWN reason and asks to re-read events that do not name the state', () => {
    const shutdown = eventEffect({ event: 'SHUTDOWN', timestamp: at, data: { guest: false, reason: 'host-qmp-quit' } }, 5);
    expect(shutdown.runState?.source).toBe('event:SHUTDOWN (host-qmp-quit)');
    expect(shutdown.rereadStatus).toBe(true);
    for (const event of ['RESET', 'POWERDOWN', 'WATCHDOG', 'MIGRATION']) {
      const effect = eventEffect({ event, timestamp: at, data: { action: 'pause', status: 'completed' } }, 5);
      expect(effect.runState, event).toBeUndefined();
      expect(effect.rereadStatus, event).toBe(true);
    }
    expect(eventEffect({ event: 'BLOCK_IO_ERROR', timestamp: at, data: { action: 'stop' } }, 5).rereadStatus).toBe(true);
    expect(eventEffect({ event: 'BLOCK_IO_ERROR', timestamp: at, data: { action: 'report' } }, 5).rereadStatus).toBe(false);
    const rtc = eventEffect({ event: 'RTC_CHANGE', timestamp: at }, 5);
    expect(touchesRunState(rtc)).toBe(false);
  });

  it('names what asked for a status read, and which states end without an event', () => {
    expect(statusReadSource()).toBe('query-status');
    expect(statusReadSource('STOP')).toBe('query-status (after STOP event)');
    expect(TRANSIENT_STATUSES.has('finish-migrate')).toBe(true);
    expect(TRANSIENT_STATUSES.has('postmigrate')).toBe(false);
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
