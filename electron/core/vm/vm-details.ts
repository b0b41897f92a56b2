/**
 * Reads the status-panel details of a VM and classifies failures.
 *
 * QEMU builds differ (no VNC compiled in, `-M none` without CPUs, older versions without a
 * command). Those are facts about the VM, shown as `unavailable`, not errors.
 */
import type { CommandOutcome, DetailField, DetailKey } from '../../common/models';
import { QmpCommandError, QmpError } from '../qmp/errors';
import { stringifyJsonLossless, type JsonValue } from '../../common/json-text';

/** The QMP command behind each detail. */
export const DETAIL_COMMANDS: Readonly<Record<DetailKey, string>> = {
  kvm: 'query-kvm',
  cpus: 'query-cpus-fast',
  memory: 'query-memory-size-summary',
  block: 'query-block',
  vnc: 'query-vnc',
  migration: 'query-migrate',
};

/**
 * Turns a detail read's result into the field the UI shows.
 *
 * CommandNotFound (older QEMU) and GenericError (feature not compiled in or not applicable
 * to this machine) become `unavailable`; only transport-level failures are errors.
 */
export function detailField(result: { ok: true; value: JsonValue } | { ok: false; error: unknown }, readAt = Date.now()): DetailField {
  if (result.ok) return { status: 'ok', json: stringifyJsonLossless(result.value), readAt };
  const { error } = result;
  if (error instanceof QmpCommandError) {
    if (error.errorClass === 'CommandNotFound' || error.errorClass === 'GenericError') {
      return { status: 'unavailable', reason: `${error.errorClass}: ${error.desc}` };
    }
    return { status: 'error', errorClass: error.errorClass, desc: error.desc };
  }
  if (error instanceof QmpError) return { status: 'error', errorClass: error.kind, desc: error.message };
  return { status: 'error', errorClass: 'internal', desc: error instanceof Error ? error.message : String(error) };
}

/** Maps a command failure to the outcome the UI shows: QMP class/desc, or the core's kind. */
export function failureOutcome(error: unknown, durationMs: number): CommandOutcome {
  if (error instanceof QmpCommandError) return { ok: false, errorClass: error.errorClass, desc: error.desc, durationMs };
  if (error instanceof QmpError) return { ok: false, errorClass: error.kind, desc: error.message, durationMs };
  return { ok: false, errorClass: 'internal', desc: error instanceof Error ? error.message : String(error), durationMs };
}
