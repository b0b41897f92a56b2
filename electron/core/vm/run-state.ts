/**
 * How QMP events move a VM's run state, and which reads they make stale.
 *
 * Pure so the rules can be tested without QEMU. The run state only ever changes on QEMU's
 * word: a query-status reply or an event; a command's success alone never changes it.
 */
import type { DetailKey, RunState } from '../../common/models';
import type { QmpEvent } from '../qmp/types';

/** What one event means for the snapshot. */
export interface EventEffect {
  /** New run state, when the event alone says it. */
  readonly runState?: RunState;
  /** The event's effect is ambiguous (e.g. RESET may or may not resume): ask query-status. */
  readonly rereadStatus: boolean;
  /** Detail reads the event made stale. */
  readonly staleDetails: readonly DetailKey[];
}

const DIRECT: Readonly<Record<string, { status: string; running: boolean }>> = {
  STOP: { status: 'paused', running: false },
  RESUME: { status: 'running', running: true },
  SHUTDOWN: { status: 'shutdown', running: false },
  SUSPEND: { status: 'suspended', running: false },
  WAKEUP: { status: 'running', running: true },
  GUEST_PANICKED: { status: 'guest-panicked', running: false },
};

const AMBIGUOUS = new Set(['RESET', 'SHUTDOWN', 'POWERDOWN', 'WAKEUP']);

/** Names of events that can change the run state (used to detect stale query-status replies). */
export const RUN_STATE_EVENTS: ReadonlySet<string> = new Set([...Object.keys(DIRECT), ...AMBIGUOUS]);

function staleFor(name: string): DetailKey[] {
  if (name === 'DEVICE_DELETED') return ['memory', 'cpus', 'block'];
  if (name.startsWith('BLOCK_') || name === 'DEVICE_TRAY_MOVED' || name === 'JOB_STATUS_CHANGE') return ['block'];
  if (name === 'MIGRATION' || name === 'MIGRATION_PASS') return ['migration'];
  if (name.startsWith('VNC_')) return ['vnc'];
  if (name === 'MEMORY_DEVICE_SIZE_CHANGE' || name === 'BALLOON_CHANGE') return ['memory'];
  return [];
}

/** Describes what `event` does to a VM's snapshot. */
export function eventEffect(event: QmpEvent, receivedAt: number): EventEffect {
  const direct = DIRECT[event.event];
  const reason = typeof event.data?.reason === 'string' ? ` (${event.data.reason})` : '';
  return {
    ...(direct ? { runState: { ...direct, updatedAt: receivedAt, source: `event:${event.event}${reason}` } } : {}),
    rereadStatus: AMBIGUOUS.has(event.event),
    staleDetails: staleFor(event.event),
  };
}
