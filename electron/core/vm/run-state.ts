/**
 * How QMP events move a VM's run state, and which reads they make stale.
 *
 * Pure so the rules can be tested without QEMU. The run state only ever changes on QEMU's
 * word: a query-status reply or an event; a command's success alone never changes it. An event
 * sets the status word only when it implies exactly one; otherwise (STOP above all: it leads to
 * paused, postmigrate, shutdown, guest-panicked, watchdog, io-error…) query-status decides.
 */
import type { DetailKey, RunState } from '../../common/models';
import type { QmpEvent } from '../qmp/types';

/** What one event means for the snapshot. */
export interface EventEffect {
  /** New run state, when the event alone says it (or, for STOP, what is known until query-status answers). */
  readonly runState?: RunState;
  /** The event does not say which status QEMU is in now: ask query-status. */
  readonly rereadStatus: boolean;
  /** Detail reads the event made stale. */
  readonly staleDetails: readonly DetailKey[];
}

/** Status word shown between a STOP and the query-status reply that names the state. */
export const UNCONFIRMED_STOP_STATUS = 'stopped';
/** Source of that interim state, so the UI says the word is not QEMU's yet. */
export const UNCONFIRMED_STOP_SOURCE = 'event:STOP (awaiting query-status)';

/**
 * QEMU states that end without an event of their own (finish-migrate → postmigrate with
 * migration events off, inmigrate → paused on a `-S` destination): keep re-reading them.
 */
export const TRANSIENT_STATUSES: ReadonlySet<string> = new Set(['finish-migrate', 'save-vm', 'restore-vm', 'inmigrate']);

type Exact = { status: string; running: boolean };

/**
 * Events that imply one status. SHUTDOWN does, because QEMU either exits (its last word) or,
 * with `-no-shutdown`, stops in `shutdown`; GUEST_PANICKED only with action `pause`
 * (`poweroff` is followed by SHUTDOWN, `run` keeps running).
 */
function exactStatus(event: QmpEvent): Exact | undefined {
  switch (event.event) {
    case 'RESUME':
    case 'WAKEUP':
      return { status: 'running', running: true };
    case 'SUSPEND':
      return { status: 'suspended', running: false };
    case 'SHUTDOWN':
      return { status: 'shutdown', running: false };
    case 'GUEST_PANICKED':
      return event.data?.action === 'pause' ? { status: 'guest-panicked', running: false } : undefined;
    default:
      return undefined;
  }
}

/** Events after which the status is re-read (each may leave QEMU in a state no event names). */
function asksForStatus(event: QmpEvent): boolean {
  switch (event.event) {
    case 'STOP':
    case 'SHUTDOWN':
    case 'RESET':
    case 'POWERDOWN':
    case 'WAKEUP':
    case 'GUEST_PANICKED':
    case 'WATCHDOG':
    case 'MIGRATION':
      return true;
    case 'BLOCK_IO_ERROR':
      return event.data?.action === 'stop';
    default:
      return false;
  }
}

/** The lists `staleFor` answers, made once: every event asks, and a flood asks 100,000 times a second. */
const STALE: Readonly<Record<'none' | 'device' | 'block' | 'migration' | 'vnc' | 'memory', readonly DetailKey[]>> = {
  none: Object.freeze([]),
  device: Object.freeze(['memory', 'cpus', 'block']),
  block: Object.freeze(['block']),
  migration: Object.freeze(['migration']),
  vnc: Object.freeze(['vnc']),
  memory: Object.freeze(['memory']),
};

function staleFor(name: string): readonly DetailKey[] {
  if (name === 'DEVICE_DELETED') return STALE.device;
  if (name.startsWith('BLOCK_') || name === 'DEVICE_TRAY_MOVED' || name === 'JOB_STATUS_CHANGE') return STALE.block;
  if (name === 'MIGRATION' || name === 'MIGRATION_PASS') return STALE.migration;
  if (name.startsWith('VNC_')) return STALE.vnc;
  if (name === 'MEMORY_DEVICE_SIZE_CHANGE' || name === 'BALLOON_CHANGE') return STALE.memory;
  return STALE.none;
}

/** True when `effect` can change the run state (a query-status reply racing with it is stale). */
export function touchesRunState(effect: EventEffect): boolean {
  return effect.runState !== undefined || effect.rereadStatus;
}

/**
 * Describes what `event` does to a VM's snapshot, given the run state shown before it.
 *
 * A STOP only ever follows a running VM, so a not-running `current` was set by the event that
 * announced this very stop (SHUTDOWN, GUEST_PANICKED): it stays until query-status answers.
 */
export function eventEffect(event: QmpEvent, receivedAt: number, current?: RunState): EventEffect {
  const exact = exactStatus(event);
  let runState: RunState | undefined;
  if (exact) {
    const reason = typeof event.data?.reason === 'string' ? ` (${event.data.reason})` : '';
    runState = { ...exact, updatedAt: receivedAt, source: `event:${event.event}${reason}` };
  } else if (event.event === 'STOP' && current?.running !== false) {
    runState = { status: UNCONFIRMED_STOP_STATUS, running: false, updatedAt: receivedAt, source: UNCONFIRMED_STOP_SOURCE };
  }
  const rereadStatus = asksForStatus(event);
  const staleDetails = staleFor(event.event);
  return runState ? { runState, rereadStatus, staleDetails } : { rereadStatus, staleDetails };
}

/** Source of a query-status reply; `cause` names the event that asked for it, if any. */
export function statusReadSource(cause?: string): string {
  return cause ? `query-status (after ${cause} event)` : 'query-status';
}
