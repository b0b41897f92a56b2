/**
 * The renderer's state container, fed by the core's requests and pushes.
 *
 * It lives outside React (read with `useSyncExternalStore`) so pushes arriving between renders
 * are never lost, and so the start-up order can be exact: subscribe to every push first, then
 * read the snapshots, then merge — nothing can slip through the gap.
 */
import type { QmpMonitorApi } from '../../../electron/common/contract';
import { mergeEvents } from './event-buffer';
import {
  INITIAL_STATE,
  connectionAnnouncement,
  reconcileSelection,
  upsertVm,
  type ActionState,
  type MonitorState,
} from './monitor-state';

type Listener = () => void;

/** Holds {@link MonitorState} and applies every change coming from the core. */
export class MonitorStore {
  private state: MonitorState = INITIAL_STATE;
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribers: Array<() => void> = [];

  constructor(readonly api: QmpMonitorApi) {}

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For `useSyncExternalStore`; identity changes only when something did. */
  readonly getState = (): MonitorState => this.state;

  /**
   * Subscribes to pushes, then loads every snapshot; resolves once the first view is ready.
   *
   * A transport that can drop (the web bridge exposes `onClosed`) is watched too, so the UI can
   * say the data stopped being live instead of showing a frozen picture as current.
   */
  async start(): Promise<void> {
    const { api } = this;
    this.unsubscribers.push(
      api.on('vmChanged', (vm) => {
        const previous = this.state.vms.find((v) => v.config.id === vm.config.id);
        const vms = upsertVm(this.state.vms, vm);
        const announcement = connectionAnnouncement(previous, vm) ?? this.state.announcement;
        this.update({ vms, selectedId: reconcileSelection(vms, this.state.selectedId), announcement });
      }),
      api.on('vmRemoved', ({ id }) => this.removeLocally(id)),
      api.on('events', ({ events }) => this.update({ events: mergeEvents(this.state.events, events) })),
      api.on('demoChanged', (demo) => this.update({ demo })),
      api.on('discoveryChanged', (discovered) => this.update({ discovered })),
    );
    const closable = api as Partial<{ onClosed: (listener: (reason: string) => void) => () => void }>;
    if (typeof closable.onClosed === 'function') {
      this.unsubscribers.push(closable.onClosed((reason) => this.update({ coreLost: reason })));
    }
    try {
      const [appInfo, vms, backlog, demo, discovered] = await Promise.all([
        api.getAppInfo({}),
        api.listVms({}),
        api.getEvents({ afterSeq: -1 }),
        api.getDemo({}),
        api.listDiscovered({}),
      ]);
      this.update({
        phase: 'ready',
        appInfo,
        vms,
        selectedId: reconcileSelection(vms, this.state.selectedId),
        events: mergeEvents(this.state.events, backlog.events),
        demo,
        discovered,
      });
    } catch (error) {
      this.update({ phase: 'error', loadError: messageOf(error) });
    }
  }

  /** Drops every push subscription (on unload or in tests). */
  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** Changes which VM the status panel shows. */
  select(id: string): void {
    if (this.state.vms.some((vm) => vm.config.id === id)) this.update({ selectedId: id });
  }

  /** Applies a snapshot returned by a request (add/update/connect), which may beat its push. */
  applySnapshot(vm: MonitorState['vms'][number], select = false): void {
    const vms = upsertVm(this.state.vms, vm);
    this.update({ vms, selectedId: select ? vm.config.id : reconcileSelection(vms, this.state.selectedId) });
  }

  /** Removes a VM from the view (after removeVm resolved or its push arrived). */
  removeLocally(id: string): void {
    const index = this.state.vms.findIndex((vm) => vm.config.id === id);
    if (index < 0) return;
    const vms = this.state.vms.filter((vm) => vm.config.id !== id);
    this.update({ vms, selectedId: reconcileSelection(vms, this.state.selectedId, index) });
  }

  /**
   * Runs one QMP command for a toolbar button and records busy/failure state.
   *
   * The run state itself is never guessed here: it changes only when QEMU's event or status
   * reply arrives as a vmChanged push.
   */
  async runCommand(vmId: string, command: string): Promise<void> {
    this.setAction(vmId, { busy: command, error: null });
    try {
      const outcome = await this.api.executeCommand({ vmId, command });
      this.setAction(vmId, { busy: null, error: outcome.ok ? null : `${outcome.errorClass}: ${outcome.desc}` });
    } catch (error) {
      this.setAction(vmId, { busy: null, error: messageOf(error) });
    }
  }

  /** Clears a shown command failure. */
  dismissError(vmId: string): void {
    const current = this.state.actions[vmId];
    if (current?.error) this.setAction(vmId, { ...current, error: null });
  }

  private setAction(vmId: string, action: ActionState): void {
    this.update({ actions: { ...this.state.actions, [vmId]: action } });
  }

  private update(patch: Partial<MonitorState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

/** The text of a rejection, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
