/**
 * How each QMP query result is shown: small, shape-tolerant renderers, one per detail key.
 */
import type { ReactNode } from 'react';
import { exactBytes, formatBytes } from '../../lib/format';
import type { JsonValue } from '../../../../electron/common/json-text';
import { asObject, flag, integer, text } from '../../lib/qmp-json';

/** `yes`/`no` for a boolean member. */
export function yesNo(value: boolean | undefined): string {
  return value === undefined ? '—' : value ? 'yes' : 'no';
}

/** query-kvm: `{enabled, present}`. */
export function renderKvm(value: JsonValue): ReactNode | null {
  const kvm = asObject(value);
  const enabled = flag(kvm, 'enabled');
  if (enabled === undefined) return null;
  return `${enabled ? 'enabled' : 'disabled'} (${flag(kvm, 'present') ? 'present' : 'not present'} on host)`;
}

/** A byte size with its exact count in the title and for screen readers. */
export function Bytes({ bytes }: { readonly bytes: bigint }) {
  return (
    <span title={exactBytes(bytes)} aria-label={`${formatBytes(bytes)} (${exactBytes(bytes)})`}>
      {formatBytes(bytes)}
    </span>
  );
}

/** query-memory-size-summary: `{base-memory, plugged-memory?}`; zero hot-plugged memory is left out. */
export function renderMemory(value: JsonValue): ReactNode | null {
  const memory = asObject(value);
  const base = integer(memory, 'base-memory');
  if (base === undefined) return null;
  const plugged = integer(memory, 'plugged-memory');
  return (
    <>
      <Bytes bytes={base} /> base
      {plugged !== undefined && plugged > 0n && (
        <>
          {', '}
          <Bytes bytes={plugged} /> plugged
        </>
      )}
    </>
  );
}

/** query-vnc: `{enabled, host?, service?, auth?}`. */
export function renderVnc(value: JsonValue): ReactNode | null {
  const vnc = asObject(value);
  const enabled = flag(vnc, 'enabled');
  if (enabled === undefined) return null;
  if (!enabled) return 'disabled';
  const host = text(vnc, 'host') ?? '?';
  const where = host.includes(':') ? `[${host}]` : host;
  return `enabled on ${where}:${text(vnc, 'service') ?? '?'}, auth ${text(vnc, 'auth') ?? 'unknown'}`;
}

/** query-migrate: `{}` before any migration, else `{status, …}`. */
export function renderMigration(value: JsonValue): ReactNode | null {
  const migration = asObject(value);
  if (!migration) return null;
  return text(migration, 'status') ?? 'none';
}
