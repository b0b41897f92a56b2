/**
 * One VM as the app sees it: a supervised QMP connection plus the snapshot the UI shows.
 *
 * On every (re)connect the session re-reads everything, because QEMU may have been restarted
 * with other options in between. After that, events keep the run state live; reads are only
 * repeated when an event makes them stale.
 */
import type { CommandOutcome, ConnectionState, DetailKey, VmConfig, VmSnapshot } from '../../common/models';
import { DETAIL_KEYS } from '../../common/models';
import { notConnectedError } from '../qmp/errors';
import { stringifyJsonLossless, type JsonObject } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import { QmpSupervisor, type SupervisorOptions } from '../qmp/supervisor';
import type { WireBudget } from '../wire/wire-budget';
import { WireLog } from '../wire/wire-log';
import { parseTarget } from '../qmp/target';
import type { QmpEvent } from '../qmp/types';
import type { AppMarker } from './app-marker';
import { commandMarker } from './command-marker';
import { eventEffect, statusReadSource, touchesRunState, TRANSIENT_STATUSES, UNCONFIRMED_STOP_SOURCE } from './run-state';
import { failureOutcome } from './vm-details';
import { greetingInfo, readDetails, readIdentity, readRunState } from './vm-reads';
import { Listeners } from '../qmp/listeners';
import { JobsMonitor, type DismissResult } from '../jobs/jobs-monitor';

/**
 * What happened to the session's QMP client, for whoever builds on it (the shared endpoint):
 * `supervising` (connecting began), `ready` (a negotiated client), `lost` (it went away and a
 * reconnect follows), `stopped` (no longer supervised: disconnected, removed or quitting).
 */
export type ClientChange =
  | { readonly kind: 'supervising' }
  | { readonly kind: 'ready'; readonly client: QmpClient }
  | { readonly kind: 'lost'; readonly reason: string }
  | { readonly kind: 'stopped'; readonly reason: string };

/** Where a VM came from; decides whether it is saved. */
export type VmOrigin = VmSnapshot['origin'];

/** Options of {@link VmSession}. */
export interface VmSessionOptions {
  readonly config: VmConfig;
  readonly origin: VmOrigin;
  readonly supervisor?: SupervisorOptions;
  /** Called with the new snapshot after every change (the service coalesces). */
  readonly onChange: (snapshot: VmSnapshot) => void;
  /** Called for every QMP event, in wire order. */
  readonly onEvent: (vmId: string, event: QmpEvent, receivedAt: number) => void;
  /**
   * Called for each of the app's own markers (connected, disconnected, reconnect attempt,
   * command sent), at the moment it happens, so it lands in the event log between the QMP
   * events around it.
   */
  readonly onMarker?: (vmId: string, marker: AppMarker, at: number) => void;
  /** The bound this VM's wire log shares with every other VM's (none: its own bound only). */
  readonly wireBudget?: WireBudget;
}

/** Window over which event-triggered re-reads are merged. */
const REREAD_WINDOW_MS = 50;
/** First and longest wait before re-reading a status that will change without an event. */
const FOLLOW_UP_FIRST_MS = 100;
const FOLLOW_UP_MAX_MS = 2_000;
/** The default command timeout (a console command may ask for another). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** A supervised connection to one VM and its live snapshot. */
export class VmSession {
  private supervisor: QmpSupervisor | undefined;
  private unsubscribe: (() => void)[] = [];
  private snap: VmSnapshot;
  /** Bumped per connection, so reads from an old connection never land on a new one. */
  private generation = 0;
  /** Bumped per run-state event, so a query-status reply that raced with one is re-read. */
  private runStateEvents = 0;
  private staleKeys = new Set<DetailKey>();
  private statusStale = false;
  /** The last event that asked for a status read, named in the reply's source. */
  private statusCause: string | undefined;
  /** Wait before the next follow-up read of a transient or unconfirmed status. */
  private followUpMs = FOLLOW_UP_FIRST_MS;
  private rereadTimer: ReturnType<typeof setTimeout> | undefined;
  private rereadDue = 0;
  private disposed = false;
  /** A `connected` marker went out for the current connection and no `disconnected` yet. */
  private markedConnected = false;
  private readonly clientChanges = new Listeners<ClientChange>();
  /** The raw traffic of every connection of this VM, for the wire inspector (bounded). */
  public readonly wire: WireLog;
  /** Jobs and migration, published in the snapshot's `jobs`. */
  private readonly jobs = new JobsMonitor((jobs) => this.update({ jobs }));

  public constructor(private readonly options: VmSessionOptions) {
    this.wire = new WireLog(undefined, options.wireBudget);
    this.snap = {
      config: options.config,
      origin: options.origin,
      connection: { phase: 'idle', attempt: 0, since: Date.now() },
      details: {},
    };
  }

  /** Id of the VM. */
  public get id(): string {
    return this.snap.config.id;
  }

  /** The current snapshot (immutable; replaced on change). */
  public get snapshot(): VmSnapshot {
    return this.snap;
  }

  /** True while a supervisor runs (connecting, ready or waiting to retry). */
  public get active(): boolean {
    return this.supervisor !== undefined;
  }

  /** The negotiated QMP client while the connection is ready. */
  public get client(): QmpClient | undefined {
    return this.supervisor?.client;
  }

  /** Follows the QMP client's life (see {@link ClientChange}); returns the unsubscribe function. */
  public onClientChange(listener: (change: ClientChange) => void): () => void {
    return this.clientChanges.add(listener);
  }

  /** Publishes the shared endpoint's state in the snapshot (share-control owns it). */
  public setShare(share: VmSnapshot['share']): void {
    this.update({ share });
  }

  /** Starts supervising the connection, or retries at once when already supervising. */
  public connect(): void {
    if (this.disposed) return;
    if (this.supervisor) {
      this.supervisor.retryNow();
      return;
    }
    let target;
    try {
      target = parseTarget(this.snap.config.target);
    } catch (error) {
      this.setConnection({ phase: 'failed', reason: (error as Error).message, attempt: 0, since: Date.now() });
      return;
    }
    const wire = this.wire;
    const supervisorOptions = this.options.supervisor ?? {};
    const supervisor = new QmpSupervisor(target, {
      ...supervisorOptions,
      client: { ...supervisorOptions.client, onWire: (dir, text, at) => wire.add(dir, text, at) },
    });
    this.supervisor = supervisor;
    this.unsubscribe = [
      supervisor.onState((state) => this.onSupervisorState(supervisor, state)),
      supervisor.onReady((client) => this.onReady(supervisor, client)),
      supervisor.onEvent((event) => this.onEvent(supervisor, event)),
    ];
    supervisor.start();
    this.clientChanges.emit({ kind: 'supervising' });
  }

  /** Stops supervising and closes the socket; the VM stays listed as `stopped`. */
  public async disconnect(reason = 'disconnected by the user'): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    this.generation += 1;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.clearRereads();
    this.jobs.detach();
    this.markDisconnected(reason);
    if (supervisor) this.clientChanges.emit({ kind: 'stopped', reason });
    if (supervisor) await supervisor.stop();
    if (!this.disposed) {
      this.setConnection({ phase: 'stopped', reason, attempt: 0, since: Date.now() });
      this.forgetRunState();
    }
  }

  /** Applies an edited config; a changed target reconnects when the VM was connected. */
  public async updateConfig(config: VmConfig): Promise<void> {
    const targetChanged = config.target !== this.snap.config.target;
    const wasActive = this.active;
    this.update({ config });
    if (!targetChanged) return;
    if (wasActive) await this.disconnect('target changed');
    // Everything read so far describes the old target's QEMU.
    this.update({ qemu: undefined, name: undefined, uuid: undefined, runState: undefined, details: {} });
    this.jobs.clear();
    if (wasActive) this.connect();
  }

  /**
   * Runs one QMP command and reports QEMU's answer or the reason there was none.
   *
   * Never throws: the console and the buttons show every outcome the same way.
   */
  public async execute(command: string, args: JsonObject | undefined, timeoutMs?: number, oob?: boolean): Promise<CommandOutcome> {
    const outcome = await this.run(command, args, timeoutMs, oob);
    this.mark(commandMarker(command, args, outcome));
    this.jobs.onCommand(command);
    return outcome;
  }

  /** Dismisses an ended job (telling QEMU with job-dismiss while it still holds it). */
  public dismissJob(id: string): Promise<DismissResult> {
    return this.jobs.dismiss(id, (command, args) => this.execute(command, args));
  }

  private async run(command: string, args: JsonObject | undefined, timeoutMs?: number, oob?: boolean): Promise<CommandOutcome> {
    const started = performance.now();
    const supervisor = this.supervisor;
    if (!supervisor) {
      const why = this.snap.connection.reason ?? this.snap.connection.phase;
      return failureOutcome(notConnectedError(command, why), 0);
    }
    try {
      const value = await supervisor.execute(command, args, {
        timeoutMs: timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        ...(oob ? { oob } : {}),
      });
      return { ok: true, returnJson: stringifyJsonLossless(value ?? {}), durationMs: performance.now() - started };
    } catch (error) {
      return failureOutcome(error, performance.now() - started);
    }
  }

  /** Stops everything for good (VM removed or app quitting); `reason` goes in the disconnected marker. */
  public async dispose(reason = 'removed'): Promise<void> {
    this.disposed = true;
    await this.disconnect(reason);
    this.wire.release();
  }

  private onSupervisorState(supervisor: QmpSupervisor, state: ConnectionState): void {
    if (supervisor !== this.supervisor) return;
    // 'ready' is published by onReady once name and run state are read, so whoever sees a
    // ready VM also sees what it is (a UI, a script, a test finding it by its QMP name).
    if (state.phase === 'ready') return;
    this.markDisconnected(state.reason ?? state.phase);
    this.jobs.detach();
    if (state.phase === 'reconnecting') this.markReconnect(state);
    if (state.phase === 'reconnecting') this.clientChanges.emit({ kind: 'lost', reason: state.reason ?? state.phase });
    this.setConnection(state);
    this.generation += 1;
    this.forgetRunState();
  }

  /**
   * Drops the run state once the connection is gone, since it may no longer hold.
   *
   * A shutdown is kept: it is QEMU's last word and explains why the socket went away.
   */
  private forgetRunState(): void {
    const runState = this.snap.runState;
    if (runState && runState.status !== 'shutdown') this.update({ runState: undefined });
  }

  private onReady(supervisor: QmpSupervisor, client: QmpClient): void {
    if (supervisor !== this.supervisor) return;
    this.generation += 1;
    const generation = this.generation;
    const qemu = greetingInfo(client.greeting);
    this.clientChanges.emit({ kind: 'ready', client });
    this.markedConnected = true;
    this.mark({ marker: 'connected', event: 'connected', data: { version: qemu.version, package: qemu.package } });
    this.update({ qemu });
    this.jobs.attach(client);
    void this.readDetails(client, generation, DETAIL_KEYS);
    void Promise.all([this.readIdentity(client, generation), this.readStatus(client, generation)]).then(() => {
      const state = supervisor.state;
      if (generation !== this.generation || supervisor !== this.supervisor || state.phase !== 'ready') return;
      this.setConnection({ phase: 'ready', attempt: state.attempt, since: state.since });
    });
  }

  private onEvent(supervisor: QmpSupervisor, event: QmpEvent): void {
    if (supervisor !== this.supervisor) return;
    const receivedAt = Date.now();
    this.options.onEvent(this.id, event, receivedAt);
    this.jobs.onEvent(event, receivedAt);
    const effect = eventEffect(event, receivedAt, this.snap.runState);
    if (touchesRunState(effect)) this.runStateEvents += 1;
    if (effect.runState) this.update({ runState: effect.runState });
    if (effect.rereadStatus) {
      this.statusStale = true;
      this.statusCause = event.event;
      this.followUpMs = FOLLOW_UP_FIRST_MS;
    }
    for (const key of effect.staleDetails) this.staleKeys.add(key);
    if (effect.rereadStatus || effect.staleDetails.length > 0) this.scheduleReread(REREAD_WINDOW_MS, receivedAt);
  }

  private mark(marker: AppMarker): void {
    this.options.onMarker?.(this.id, marker, Date.now());
  }

  /** One `disconnected` per connection: the first word on why it ended is the one that matters. */
  private markDisconnected(reason: string): void {
    if (!this.markedConnected) return;
    this.markedConnected = false;
    this.mark({ marker: 'disconnected', event: 'disconnected', data: { reason } });
  }

  /** One marker per scheduled retry; the supervisor's backoff bounds how many that can be. */
  private markReconnect(state: ConnectionState): void {
    const delayMs = state.nextRetryAt !== undefined ? Math.max(0, state.nextRetryAt - state.since) : undefined;
    this.mark({
      marker: 'reconnect',
      event: 'reconnecting',
      data: { attempt: state.attempt, ...(delayMs !== undefined ? { delayMs } : {}), ...(state.reason !== undefined ? { reason: state.reason } : {}) },
    });
  }

  /**
   * Reads what is stale after `delayMs`, or sooner when a read is already due sooner (events
   * merge into it); `now` saves a clock read per event when the caller has just read it.
   */
  private scheduleReread(delayMs: number, now = Date.now()): void {
    const due = now + delayMs;
    if (this.rereadTimer && this.rereadDue <= due) return;
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
    this.rereadDue = due;
    this.rereadTimer = setTimeout(() => this.rereadStale(), delayMs);
  }

  private rereadStale(): void {
    this.rereadTimer = undefined;
    const client = this.supervisor?.client;
    if (!client) return;
    if (this.statusStale) void this.readStatus(client, this.generation, this.statusCause);
    if (this.staleKeys.size > 0) void this.readDetails(client, this.generation, [...this.staleKeys]);
    this.statusStale = false;
    this.staleKeys = new Set();
  }

  private clearRereads(): void {
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
    this.rereadTimer = undefined;
    this.statusStale = false;
    this.statusCause = undefined;
    this.followUpMs = FOLLOW_UP_FIRST_MS;
    this.staleKeys = new Set();
  }

  private async readIdentity(client: QmpClient, generation: number): Promise<void> {
    const identity = await readIdentity(client);
    if (generation === this.generation) this.update(identity);
  }

  private async readStatus(client: QmpClient, generation: number, cause?: string): Promise<void> {
    const runState = await readRunState(client, () => this.runStateEvents, statusReadSource(cause));
    if (generation !== this.generation) return;
    if (runState) this.update({ runState });
    // Some states end without an event (finish-migrate → postmigrate), and a STOP is only
    // shown as it is until a reply names the state: keep asking, ever less often.
    const shown = this.snap.runState;
    if (shown && (TRANSIENT_STATUSES.has(shown.status) || shown.source === UNCONFIRMED_STOP_SOURCE)) {
      this.statusStale = true;
      this.statusCause ??= cause;
      this.scheduleReread(this.followUpMs);
      this.followUpMs = Math.min(this.followUpMs * 2, FOLLOW_UP_MAX_MS);
    } else if (runState) {
      this.followUpMs = FOLLOW_UP_FIRST_MS;
    }
  }

  private async readDetails(client: QmpClient, generation: number, keys: readonly DetailKey[]): Promise<void> {
    const fields = await readDetails(client, keys);
    if (generation === this.generation) this.update({ details: { ...this.snap.details, ...fields } });
  }

  private setConnection(connection: ConnectionState): void {
    this.update({ connection });
  }

  private update(patch: { readonly [K in keyof VmSnapshot]?: VmSnapshot[K] | undefined }): void {
    const next: Record<string, unknown> = { ...this.snap };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.snap = next as VmSnapshot;
    if (!this.disposed) this.options.onChange(this.snap);
  }
}
