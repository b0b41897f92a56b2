/**
 * The renderer's state container, fed by the core's requests and pushes.
 *
 * It lives outside React (read with `useSyncExternalStore`) so pushes arriving between renders
 * are never lost, and so the loading order can be exact: subscribe to every push first, then
 * read the snapshots, and hold back the pushes that arrive meanwhile until the snapshots are
 * in. Replies and pushes travel one ordered channel, so replaying the held pushes on top of the
 * snapshots ends at the newest state; applying them first let a stale `listVms` reply bring
 * back a VM removed during start-up. The same load runs again after the link comes back.
 *
 * Components never reach the API: they call the intention-named methods here.
 */
import type { QmpMonitorApi } from '../../../electron/common/contract';
import type { TimelineEvent, VmConfig, VmSnapshot } from '../../../electron/common/models';
import type { LinkEvent, LinkSource } from '../../../electron/common/rpc-link';
import { countArrivals } from '../lib/event-rate';
import { EventBuffer } from './event-buffer';
import {
  INITIAL_STATE,
  connectionAnnouncement,
  reconcileSelection,
  upsertVm,
  type ActionState,
  type MainView,
  type MonitorState,
  type TimelineScope,
} from './monitor-state';

type Listener = () => void;

/** Most events asked for in one catch-up; the newest ones, so a big log still ends at the present. */
const CATCH_UP_LIMIT = 10_000;

/** Holds {@link MonitorState} and applies every change coming from the core. */
export class MonitorStore {
  private state: MonitorState = INITIAL_STATE;
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribers: Array<() => void> = [];
  /** Pushes held back while a load is in flight; null when they apply at once. */
  private held: Array<() => void> | null = null;
  private loadGeneration = 0;
  /** Every event taken in; it keeps only seqs above the newest held, so a repeat counts once. */
  private readonly buffer: EventBuffer;

  constructor(
    private readonly api: QmpMonitorApi & Partial<LinkSource>,
    eventCapacity?: number,
  ) {
    this.buffer = new EventBuffer(eventCapacity);
  }

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
   * A transport that can drop (the web bridge's `onLink`) is watched too, so the UI can say the
   * data stopped being live, and the store catches up by itself when the link is back.
   */
  async start(): Promise<void> {
    const { api } = this;
    const push = <T>(apply: (payload: T) => void) => (payload: T) => this.whenLoaded(() => apply(payload));
    this.unsubscribers.push(
      api.on('vmChanged', push((vm) => this.applyVmChanged(vm))),
      api.on('vmRemoved', push(({ id }) => this.removeLocally(id))),
      api.on('events', push(({ events }) => this.takeEvents(events))),
      api.on('demoChanged', push((demo) => this.update({ demo }))),
      api.on('discoveryChanged', push((discovered) => this.update({ discovered }))),
    );
    if (typeof api.onLink === 'function') this.unsubscribers.push(api.onLink((event) => this.onLink(event)));
    try {
      await this.load();
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

  /** Switches the main area between the status panel and the timeline. */
  showView(view: MainView): void {
    if (this.state.view !== view) this.update({ view });
  }

  /** Lists every VM's events in the timeline, or only the selected VM's. */
  setTimelineScope(timelineScope: TimelineScope): void {
    if (this.state.timelineScope !== timelineScope) this.update({ timelineScope });
  }

  /** Opens the timeline on one VM's events (the status panel's "Show in timeline"). */
  showTimelineFor(id: string): void {
    this.select(id);
    this.update({ view: 'timeline', timelineScope: 'selected' });
  }

  /** Applies a snapshot returned by a request (add/update/connect), which may beat its push. */
  applySnapshot(vm: VmSnapshot, select = false): void {
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

  /** Starts supervising a saved connection; rejects with the core's reason. */
  async connectVm(id: string): Promise<void> {
    this.applySnapshot(await this.api.connectVm({ id }));
  }

  /** Stops supervising a connection and closes its socket. */
  async disconnectVm(id: string): Promise<void> {
    this.applySnapshot(await this.api.disconnectVm({ id }));
  }

  /** Forgets a saved connection. */
  async removeVm(id: string): Promise<void> {
    await this.api.removeVm({ id });
    this.removeLocally(id);
  }

  /** Adds a connection (selecting it) or, with `editingId`, changes one. */
  async saveConnection(fields: Pick<VmConfig, 'label' | 'target' | 'autoConnect'>, editingId?: string): Promise<void> {
    const vm = editingId !== undefined ? await this.api.updateVm({ id: editingId, ...fields }) : await this.api.addVm(fields);
    this.applySnapshot(vm, editingId === undefined);
  }

  /** Adds a found socket as a connection that connects at once, and selects it. */
  async addDiscovered(path: string): Promise<void> {
    this.applySnapshot(await this.api.addVm({ target: path, autoConnect: true }), true);
  }

  /** Starts the local demo VM; its progress arrives as demoChanged pushes. */
  async startDemo(): Promise<void> {
    await this.api.startDemo({});
  }

  /** The folders watched for sockets (kept by the core, read on demand). */
  readDiscoveryFolders(options?: { readonly signal?: AbortSignal }): Promise<readonly string[]> {
    return this.api.getDiscoveryFolders({}, options);
  }

  /** Replaces the watched folders; resolves with what the core kept (it de-duplicates). */
  saveDiscoveryFolders(folders: readonly string[]): Promise<readonly string[]> {
    return this.api.setDiscoveryFolders({ folders: [...folders] });
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

  /**
   * Reads every snapshot and the events after the last seq held, then replays held pushes.
   *
   * A newer load (the link dropped and came back again) supersedes an older one: the older
   * one's answers are dropped and the held pushes wait for the newer one.
   */
  private async load(): Promise<boolean> {
    const generation = ++this.loadGeneration;
    this.held ??= [];
    const { api } = this;
    const afterSeq = this.buffer.lastSeq;
    try {
      const [appInfo, vms, demo, discovered, firstPage] = await Promise.all([
        api.getAppInfo({}),
        api.listVms({}),
        api.getDemo({}),
        api.listDiscovered({}),
        api.getEvents({ afterSeq, limit: CATCH_UP_LIMIT, newest: true }),
      ]);
      let backlog = firstPage;
      if (backlog.lastSeq < afterSeq) {
        // The core restarted and counts from 0 again: what we hold is from another log.
        backlog = await api.getEvents({ afterSeq: -1, limit: CATCH_UP_LIMIT, newest: true });
        if (generation !== this.loadGeneration) return false;
        this.buffer.clear();
        this.update({ events: this.buffer.window });
      }
      if (generation !== this.loadGeneration) return false;
      this.update({ phase: 'ready', appInfo, vms, selectedId: reconcileSelection(vms, this.state.selectedId), demo, discovered });
      this.takeEvents(backlog.events);
    } finally {
      if (generation === this.loadGeneration) this.releaseHeld();
    }
    return true;
  }

  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const apply of held) apply();
  }

  private whenLoaded(apply: () => void): void {
    if (this.held) this.held.push(apply);
    else apply();
  }

  private onLink(event: LinkEvent): void {
    if (event.kind === 'lost') {
      const reconnecting = event.nextRetryAt === null ? null : { attempt: event.attempt, nextRetryAt: event.nextRetryAt, catchingUp: false };
      this.update({ coreLost: event.reason, reconnecting });
      return;
    }
    this.update({ reconnecting: { attempt: event.attempt, nextRetryAt: null, catchingUp: true } });
    this.load().then(
      (current) => current && this.update({ coreLost: null, reconnecting: null }),
      // A drop during the catch-up is reported by the link itself; anything else is shown.
      (error: unknown) => {
        if (this.state.reconnecting?.catchingUp) this.update({ coreLost: `catching up failed: ${messageOf(error)}`, reconnecting: null });
      },
    );
  }

  private applyVmChanged(vm: VmSnapshot): void {
    const previous = this.state.vms.find((v) => v.config.id === vm.config.id);
    const vms = upsertVm(this.state.vms, vm);
    const announcement = connectionAnnouncement(previous, vm) ?? this.state.announcement;
    this.update({ vms, selectedId: reconcileSelection(vms, this.state.selectedId), announcement });
  }

  /** Takes in events newer than any held (pushes and catch-ups), buffering and counting them. */
  private takeEvents(events: readonly TimelineEvent[]): void {
    const fresh = this.buffer.append(events);
    if (fresh.length === 0) return;
    this.update({ events: this.buffer.window, arrivals: countArrivals(this.state.arrivals, fresh) });
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
