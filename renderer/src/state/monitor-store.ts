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
import type { CommandOutcome, TimelineEvent, VmConfig, VmSnapshot } from '../../../electron/common/models';
import type { QomProperty, Screenshot } from '../../../electron/common/vm-details-shapes';
import type { LinkEvent, LinkSource } from '../../../electron/common/rpc-link';
import type { SamplesPage } from '../../../electron/common/samples';
import { countArrivals } from '../lib/event-rate';
import { EventBuffer } from './event-buffer';
import { EventFeed, type FeedProgress } from './event-feed';
import { withConsoleEntry, type ConsoleEntry, type ConsoleMode, type ConsoleSchema } from './console-state';
import { MAX_WIRE_TEXT_CHARS, type WireEntry } from '../../../electron/common/wire-entry';
import { openRecordingText, type OpenRecording } from './recording-state';
import { withHistoryEntry } from '../../../electron/common/console-history';
import { buildSchemaModel } from '../../../electron/common/qapi/schema-model';
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

/** What a qom-set returns: QEMU's answer and the value read back (see details/qom-reads.ts). */
export type QomSetResult = Awaited<ReturnType<QmpMonitorApi['qomSet']>>;

/** What one wire poll returns (see electron/common/wire-entry.ts). */
export type WirePage = Awaited<ReturnType<QmpMonitorApi['getWire']>>;

/** Longest text per wire entry the inspector shows (the byte count says how long it was). */
const WIRE_TEXT_CHARS = 16 * 1024;

/** What the console hands the store to send (see {@link MonitorStore.sendConsoleCommand}). */
export type ConsoleSend = Pick<ConsoleEntry, 'text' | 'command' | 'argumentsJson' | 'oob'> & { readonly mode: ConsoleMode };


/** Holds {@link MonitorState} and applies every change coming from the core. */
export class MonitorStore {
  private state: MonitorState = INITIAL_STATE;
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribers: Array<() => void> = [];
  /** Pushes held back while a load is in flight; null when they apply at once. */
  private held: Array<() => void> | null = null;
  private loadGeneration = 0;
  /** Ids of console entries, in sending order. */
  private consoleSeq = 0;
  /** Ids of opened recordings. */
  private recordingSeq = 0;
  /** The one read of the console history (see loadConsoleHistory). */
  private historyLoad: Promise<void> | undefined;
  /** VMs whose HMP names are being read. */
  private readonly hmpLoads = new Set<string>();
  /** Every event taken in; it keeps only seqs above the newest held, so a repeat counts once. */
  private readonly buffer: EventBuffer;
  /** Keeps the buffer complete and current: pushes, pulls, acknowledgements (event-feed.ts). */
  private readonly feed: EventFeed;

  /** Arrival counts including events taken since the last shown frame; null when none are waiting. */
  private arrivalsToShow: MonitorState['arrivals'] | null = null;
  /** VM snapshots pushed since the last shown frame, newest per VM (see {@link applyVmChanged}). */
  private readonly vmsToShow = new Map<string, VmSnapshot>();
  /** What the newest of those changes announces, if any did. */
  private announcementToShow: string | null = null;
  /** The feed's newest progress report not yet shown; undefined when none waits. */
  private progressToShow: FeedProgress | null | undefined = undefined;
  /** A frame is asked for to show what waits (see {@link showAtNextFrame}). */
  private frameAsked = false;

  constructor(
    private readonly api: QmpMonitorApi & Partial<LinkSource>,
    eventCapacity?: number,
    /** When events taken in are shown (see {@link nextFrame}); tests may show them at once. */
    private readonly showEventsAt: (show: () => void) => void = nextFrame,
  ) {
    this.buffer = new EventBuffer(eventCapacity);
    this.feed = new EventFeed(api, this.buffer, {
      taken: (fresh) => this.eventsTaken(fresh),
      cleared: () => this.update({ events: this.buffer.window }),
      progress: (eventProgress) => {
        // Reported per push while behind: shown with the frame, like the events it counts.
        this.progressToShow = eventProgress;
        this.showAtNextFrame();
      },
    });
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
      api.on('events', push((payload) => this.feed.onPush(payload))),
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
    if (this.state.vms.some((vm) => vm.config.id === id)) this.update({ selectedId: id, recordingId: null });
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
    // An answer is newer than any push that came before it and still waits for a frame.
    this.vmsToShow.delete(vm.config.id);
    const vms = upsertVm(this.state.vms, vm);
    this.update({ vms, selectedId: select ? vm.config.id : reconcileSelection(vms, this.state.selectedId) });
  }

  /** Removes a VM from the view (after removeVm resolved or its push arrived). */
  removeLocally(id: string): void {
    this.vmsToShow.delete(id);
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

  /** Turns "Share this monitor" on or off for one VM; rejects with the core's reason. */
  async setSharing(id: string, enabled: boolean): Promise<void> {
    this.applySnapshot(await this.api.setVmSharing({ id, enabled }));
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

  /**
   * Sends one console command and pairs it with its answer in `consoleEntries`.
   *
   * The same path as the buttons (executeCommand), so the core records it as a command marker
   * in the timeline; a failure to reach the core becomes the entry's error, never a throw.
   */
  async sendConsoleCommand(vmId: string, sent: ConsoleSend): Promise<void> {
    const entry: ConsoleEntry = { id: ++this.consoleSeq, vmId, ...sent, sentAt: Date.now() };
    this.update({ consoleEntries: withConsoleEntry(this.state.consoleEntries, entry) });
    const { command, argumentsJson, oob } = sent;
    this.rememberCommand(vmId, sent.mode, sent.text, entry.sentAt);
    let result: ConsoleEntry['result'];
    try {
      const outcome = await this.api.executeCommand({ vmId, command, ...(argumentsJson !== undefined ? { argumentsJson } : {}), ...(oob ? { oob } : {}) });
      result = { ...outcome, receivedAt: Date.now() };
    } catch (error) {
      result = { ok: false, errorClass: 'not sent', desc: messageOf(error), durationMs: Date.now() - entry.sentAt, receivedAt: Date.now() };
    }
    this.update({ consoleEntries: withConsoleEntry(this.state.consoleEntries, { ...entry, result }) });
  }

  /**
   * Reads a VM's schema for the console, once per QEMU build (`build` = version and package;
   * a reconnect to another build reads it again). The core caches the text; the model is
   * built here, in the page, from the shared schema module.
   */
  async loadConsoleSchema(vmId: string, build: string): Promise<void> {
    const known = this.state.consoleSchemas[vmId];
    if (known && known.build === build && known.status !== 'failed') return;
    const set = (schema: ConsoleSchema) => this.update({ consoleSchemas: { ...this.state.consoleSchemas, [vmId]: schema } });
    set({ status: 'loading', build });
    try {
      const { schemaJson, qemu } = await this.api.getSchema({ vmId });
      const info = JSON.parse(schemaJson) as unknown;
      if (!Array.isArray(info)) throw new Error('query-qmp-schema did not return a list');
      set({ status: 'ready', build, model: buildSchemaModel(info), qemu });
    } catch (error) {
      set({ status: 'failed', build, reason: messageOf(error) });
    }
  }

  /** Reads a VM's HMP command names (for HMP completion) once. */
  async loadHmpCommands(vmId: string): Promise<void> {
    if (this.state.hmpNames[vmId] || this.hmpLoads.has(vmId)) return;
    this.hmpLoads.add(vmId);
    try {
      const { names } = await this.api.getHmpCommands({ vmId });
      this.update({ hmpNames: { ...this.state.hmpNames, [vmId]: names } });
    } catch {
      // No completion then; HMP lines still go out as typed.
    } finally {
      this.hmpLoads.delete(vmId);
    }
  }

  /** A page of a VM's raw QMP traffic after `afterSeq` (the wire inspector polls it while shown). */
  readWire(vmId: string, afterSeq: number, options?: { readonly signal?: AbortSignal }): Promise<WirePage> {
    return this.api.getWire({ vmId, afterSeq, maxTextChars: WIRE_TEXT_CHARS }, options);
  }

  /**
   * Every wire entry the core holds for a VM, texts whole (not cut for display), oldest
   * first: what "Save recording" writes.
   */
  async readWholeWire(vmId: string, options?: { readonly signal?: AbortSignal }): Promise<WireEntry[]> {
    const all: WireEntry[] = [];
    for (let afterSeq = 0; ; ) {
      const page = await this.api.getWire({ vmId, afterSeq, maxTextChars: MAX_WIRE_TEXT_CHARS }, options);
      all.push(...page.entries);
      afterSeq = page.lastSeq;
      if (!page.more) return all;
    }
  }

  /** Opens a recording file's text as a read-only entry and shows it (see recording-state.ts). */
  openRecording(fileName: string, text: string): OpenRecording {
    const recording = openRecordingText(`recording-${++this.recordingSeq}`, fileName, text);
    this.update({ recordings: [...this.state.recordings, recording], recordingId: recording.id });
    return recording;
  }

  /** Shows an opened recording in the main area (selecting a VM shows the VM again). */
  showRecording(id: string): void {
    if (this.state.recordings.some((r) => r.id === id)) this.update({ recordingId: id });
  }

  /** Closes a recording, freeing everything read from its file. */
  closeRecording(id: string): void {
    const recordings = this.state.recordings.filter((r) => r.id !== id);
    this.update({ recordings, recordingId: this.state.recordingId === id ? null : this.state.recordingId });
  }

  /** Starts or renews sampling a VM for its live charts (the charts call it while shown). */
  watchSamples(vmId: string, intervalMs: number, options?: { readonly signal?: AbortSignal }): Promise<{ leaseMs: number; intervalMs: number }> {
    return this.api.watchSamples({ vmId, intervalMs }, options);
  }

  /** A VM's chart samples after `afterSeq` (see electron/common/samples.ts). */
  readSamples(vmId: string, afterSeq: number, options?: { readonly signal?: AbortSignal }): Promise<SamplesPage> {
    return this.api.getSamples({ vmId, afterSeq }, options);
  }

  /** A picture of a VM's display, or the note why there is none (the screen thumbnail polls it while shown). */
  readScreen(vmId: string, options?: { readonly signal?: AbortSignal }): Promise<Screenshot> {
    return this.api.getScreenshot({ vmId }, options);
  }

  /** The properties of one QOM object (the QOM browser reads a node as it opens). */
  async readQomProperties(vmId: string, path: string, options?: { readonly signal?: AbortSignal }): Promise<readonly QomProperty[]> {
    return (await this.api.qomList({ vmId, path }, options)).properties;
  }

  /** One QOM property's value (lossless JSON text) or QEMU's error; never rejects for a QEMU error. */
  readQomValue(vmId: string, path: string, property: string, options?: { readonly signal?: AbortSignal }): Promise<CommandOutcome> {
    return this.api.qomGet({ vmId, path, property }, options);
  }

  /** Sets a QOM property (a marked command) and returns QEMU's answer with the value read back. */
  writeQomValue(vmId: string, path: string, property: string, valueJson: string): Promise<QomSetResult> {
    return this.api.qomSet({ vmId, path, property, valueJson });
  }

  /** Runs a job action (`job-pause`… with the job's id) as a marked command; QEMU's answer, never a throw. */
  async runJobCommand(vmId: string, command: string, jobId: string): Promise<CommandOutcome> {
    try {
      return await this.api.executeCommand({ vmId, command, argumentsJson: JSON.stringify({ id: jobId }) });
    } catch (error) {
      return { ok: false, errorClass: 'not sent', desc: messageOf(error), durationMs: 0 };
    }
  }

  /** Dismisses an ended job's row (job-dismiss first while QEMU holds it); why not, when it stays. */
  async dismissJob(vmId: string, jobId: string): Promise<string | null> {
    try {
      const result = await this.api.dismissJob({ vmId, id: jobId });
      if (result.forgotten) return null;
      if (result.outcome && !result.outcome.ok) return `${result.outcome.errorClass}: ${result.outcome.desc}`;
      return result.reason ?? 'not dismissed';
    } catch (error) {
      return messageOf(error);
    }
  }

  /** Reads the console history from the core once (the console asks when it opens). */
  loadConsoleHistory(): Promise<void> {
    this.historyLoad ??= this.readConsoleHistory();
    return this.historyLoad;
  }

  private async readConsoleHistory(): Promise<void> {
    try {
      const { entries } = await this.api.getHistory({});
      // Commands sent meanwhile were added locally; they stay newest.
      const local = this.state.consoleHistory ?? [];
      this.update({ consoleHistory: local.reduce((kept, entry) => withHistoryEntry(kept, entry), [...entries]) });
    } catch {
      // An unreadable history is an empty one; the core reported any damage as a notice.
      this.update({ consoleHistory: this.state.consoleHistory ?? [] });
    }
  }

  /** Adds a sent command to the history at once, then tells the core (which keeps it on disk). */
  private rememberCommand(vmId: string, mode: ConsoleMode, text: string, at: number): void {
    const entry = { vmId, mode, text, at };
    this.update({ consoleHistory: withHistoryEntry(this.state.consoleHistory ?? [], entry) });
    // A failed save costs persistence only; the command itself still goes out.
    this.api.addHistory(entry).catch(() => undefined);
  }

  /** Clears a shown command failure. */
  dismissError(vmId: string): void {
    const current = this.state.actions[vmId];
    if (current?.error) this.setAction(vmId, { ...current, error: null });
  }

  /**
   * Reads every snapshot and the first page of events after the last seq held, then replays
   * held pushes; the event feed goes on pulling the rest in the background (a reload's full
   * history, oldest first, with progress in `eventProgress`).
   *
   * A newer load (the link dropped and came back again) supersedes an older one: the older
   * one's answers are dropped and the held pushes wait for the newer one.
   */
  private async load(): Promise<boolean> {
    const generation = ++this.loadGeneration;
    this.held ??= [];
    const { api } = this;
    try {
      const [appInfo, vms, demo, discovered] = await Promise.all([
        api.getAppInfo({}),
        api.listVms({}),
        api.getDemo({}),
        api.listDiscovered({}),
        this.feed.sync(),
      ]);
      if (generation !== this.loadGeneration) return false;
      // The lists are newer than every push that came before them.
      this.vmsToShow.clear();
      this.update({ phase: 'ready', appInfo, vms, selectedId: reconcileSelection(vms, this.state.selectedId), demo, discovered });
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

  /**
   * A VM's pushed snapshot is shown with the next frame, the newest per VM: a VM's jobs change
   * its snapshot with each job event, and in a flood of them (ten VMs, one push per VM every
   * 30 ms) rendering the status and the timeline for each push took a third of the page's time
   * outside its frames. The announcement is worked out per push against the one before it, so
   * a connection that came back within the frame it dropped in is still announced.
   */
  private applyVmChanged(vm: VmSnapshot): void {
    const id = vm.config.id;
    const previous = this.vmsToShow.get(id) ?? this.state.vms.find((v) => v.config.id === id);
    this.announcementToShow = connectionAnnouncement(previous, vm) ?? this.announcementToShow;
    this.vmsToShow.set(id, vm);
    this.showAtNextFrame();
  }

  private setAction(vmId: string, action: ActionState): void {
    this.update({ actions: { ...this.state.actions, [vmId]: action } });
  }

  /**
   * Events are in the buffer at once (the feed acknowledges what it holds), but shown once per
   * frame: a flood brings a push every 16 ms or faster, and rendering the timeline for each one
   * took 30 % of the page's time and pushed frames past 80 ms.
   */
  private eventsTaken(fresh: readonly TimelineEvent[]): void {
    this.arrivalsToShow = countArrivals(this.arrivalsToShow ?? this.state.arrivals, fresh);
    this.showAtNextFrame();
  }

  /** Asks for one frame to show every event, progress report and VM change that waits; once until it comes. */
  private showAtNextFrame(): void {
    if (this.frameAsked) return;
    this.frameAsked = true;
    this.showEventsAt(() => {
      this.frameAsked = false;
      this.showWaiting();
    });
  }

  /** Shows what waits for a frame in one update (one render). */
  private showWaiting(): void {
    const { arrivalsToShow: arrivals, progressToShow: eventProgress } = this;
    const changed = [...this.vmsToShow.values()];
    const announcement = this.announcementToShow ?? this.state.announcement;
    this.arrivalsToShow = null;
    this.progressToShow = undefined;
    this.vmsToShow.clear();
    this.announcementToShow = null;
    const vms = changed.length === 0 ? null : changed.reduce((list, vm) => upsertVm(list, vm), this.state.vms);
    const patch: Partial<MonitorState> = {
      ...(arrivals === null ? {} : { events: this.buffer.window, arrivals }),
      ...(eventProgress === undefined ? {} : { eventProgress }),
      ...(vms === null ? {} : { vms, selectedId: reconcileSelection(vms, this.state.selectedId), announcement }),
    };
    if (Object.keys(patch).length > 0) this.update(patch);
  }

  private update(patch: Partial<MonitorState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

/** Longest a change waits for a frame that does not come (a hidden window or tab draws none), ms. */
const FRAME_FALLBACK_MS = 250;

/**
 * Runs `show` before the next frame is drawn, or after {@link FRAME_FALLBACK_MS} if no frame
 * comes first; once either way.
 */
export function nextFrame(show: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    show();
  };
  const timer = setTimeout(once, FRAME_FALLBACK_MS);
  // Absent outside a page (the store also runs under Node in the integration tests).
  const frame = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame;
  if (typeof frame === 'function') frame.call(globalThis, once);
}

/** The text of a rejection, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
