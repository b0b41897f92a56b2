/**
 * The renderer's whole view of the core, as one immutable value.
 *
 * Kept apart from the store class so reducers and tests can build states without a running API.
 */
import type { AppInfo, DemoState, DiscoveredSocket, VmSnapshot } from '../../../electron/common/models';
import type { HistoryEntry } from '../../../electron/common/console-history';
import type { ArrivalCounts } from '../lib/event-rate';
import { EMPTY_EVENTS, type EventWindow } from './event-buffer';
import type { FeedProgress } from './event-feed';
import type { ConsoleEntries, ConsoleSchema, HmpNames } from './console-state';
import type { OpenRecording } from './recording-state';

/** What the store is doing about a dropped link to the core. */
export interface ReconnectState {
  /** The try scheduled or running (1 after the drop). */
  readonly attempt: number;
  /** Epoch ms of the next try; null while catching up after the link came back. */
  readonly nextRetryAt: number | null;
  /** True once the link is back and events/snapshots are being re-read. */
  readonly catchingUp: boolean;
}

/** What a button-driven command on one VM is doing: in flight, or how it last failed. */
export interface ActionState {
  /** The QMP command in flight, if any. */
  readonly busy: string | null;
  /** `Class: desc` of the last failure, cleared by the next attempt. */
  readonly error: string | null;
}

/** Which view the main area shows. */
export type MainView = 'status' | 'timeline' | 'console' | 'wire' | 'qom';

/** Whether the timeline lists every VM's events or only the selected VM's. */
export type TimelineScope = 'all' | 'selected';

/** Everything the UI renders. */
export interface MonitorState {
  /** `loading` until the first listVms answer; `error` if the core could not be read at all. */
  readonly phase: 'loading' | 'ready' | 'error';
  readonly loadError: string | null;
  readonly appInfo: AppInfo | null;
  /** In the order the core lists them; new ones go last. */
  readonly vms: readonly VmSnapshot[];
  readonly selectedId: string | null;
  /** Every event held (bounded, oldest dropped first), ordered by seq; a new window per change. */
  readonly events: EventWindow;
  readonly demo: DemoState;
  readonly discovered: readonly DiscoveredSocket[];
  readonly actions: Readonly<Record<string, ActionState>>;
  /** Latest message for the polite live region (connection changes). */
  readonly announcement: string;
  /** Why the link to the core itself dropped (web bridge closed), else null; stays set until caught up. */
  readonly coreLost: string | null;
  /** Set while the store is reconnecting or catching up; null when live or not retrying. */
  readonly reconnecting: ReconnectState | null;
  readonly view: MainView;
  readonly timelineScope: TimelineScope;
  /** Events that arrived per VM per second, counted as they came (not from the bounded buffer). */
  readonly arrivals: ArrivalCounts;
  /** Set while the page loads its history or catches up from the core's log; null while current. */
  readonly eventProgress: FeedProgress | null;
  /** Each VM's console commands with their replies (see console-state.ts). */
  readonly consoleEntries: ConsoleEntries;
  /** The console's history of every VM, oldest first; null until read from the core. */
  readonly consoleHistory: readonly HistoryEntry[] | null;
  /** Each VM's schema for the console's completion and checks, read on first use. */
  readonly consoleSchemas: Readonly<Record<string, ConsoleSchema>>;
  /** Each VM's HMP command names, read when HMP mode is first used. */
  readonly hmpNames: HmpNames;
  /** Recordings opened in the page, read-only (see recording-state.ts); never sent to the core. */
  readonly recordings: readonly OpenRecording[];
  /** The recording the main area shows instead of the selected VM, or null. */
  readonly recordingId: string | null;
}

/** The state before anything was read. */
export const INITIAL_STATE: MonitorState = {
  phase: 'loading',
  loadError: null,
  appInfo: null,
  vms: [],
  selectedId: null,
  events: EMPTY_EVENTS,
  demo: { status: 'absent' },
  discovered: [],
  actions: {},
  announcement: '',
  coreLost: null,
  reconnecting: null,
  arrivals: {},
  eventProgress: null,
  view: 'status',
  timelineScope: 'all',
  consoleEntries: {},
  consoleHistory: null,
  consoleSchemas: {},
  hmpNames: {},
  recordings: [],
  recordingId: null,
};

/** The name people know a VM by: QEMU's `-name`, else the label, else the target. */
export function displayName(vm: VmSnapshot): string {
  return vm.name || vm.config.label || vm.config.target;
}

/** Replaces (or appends) one VM snapshot, keeping list order stable. */
export function upsertVm(vms: readonly VmSnapshot[], next: VmSnapshot): readonly VmSnapshot[] {
  const index = vms.findIndex((vm) => vm.config.id === next.config.id);
  if (index < 0) return [...vms, next];
  const copy = vms.slice();
  copy[index] = next;
  return copy;
}

/** Keeps a valid selection: the current one if it still exists, else the neighbour, else the first. */
export function reconcileSelection(vms: readonly VmSnapshot[], selectedId: string | null, removedIndex = -1): string | null {
  if (selectedId !== null && vms.some((vm) => vm.config.id === selectedId)) return selectedId;
  if (vms.length === 0) return null;
  const index = removedIndex >= 0 ? Math.min(removedIndex, vms.length - 1) : 0;
  return vms[index]!.config.id;
}

/** Phases a retry loop cycles through; moving between them is not news. */
const RETRY_PHASES: ReadonlySet<string> = new Set(['connecting', 'reconnecting']);

/**
 * A sentence for screen readers when a VM's connection phase changes, else null.
 *
 * A retry loop alternates connecting/reconnecting every few seconds; announcing each step would
 * drown everything else, so only entering or leaving the loop is announced.
 */
export function connectionAnnouncement(previous: VmSnapshot | undefined, next: VmSnapshot): string | null {
  const before = previous?.connection.phase;
  if (before === next.connection.phase) return null;
  if (before !== undefined && RETRY_PHASES.has(before) && RETRY_PHASES.has(next.connection.phase)) return null;
  const { phase, reason } = next.connection;
  const tail = reason && (phase === 'failed' || phase === 'reconnecting') ? ` (${reason})` : '';
  return `${displayName(next)}: ${phase}${tail}`;
}
