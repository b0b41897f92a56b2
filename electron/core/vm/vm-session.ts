/**
 * One VM as the app sees it: a supervised QMP connection plus the snapshot the UI shows.
 *
 * On every (re)connect the session re-reads everything, because QEMU may have been restarted
 * with other options in between. After that, events keep the run state live; reads are only
 * repeated when an event makes them stale.
 */
import type { CommandOutcome, ConnectionState, DetailKey, RunState, VmConfig, VmSnapshot } from '../../common/models';
import { DETAIL_KEYS } from '../../common/models';
import { QmpConnectionError } from '../qmp/errors';
import { stringifyQmp } from '../qmp/lossless-json';
import type { QmpClient } from '../qmp/qmp-client';
import { QmpSupervisor, type SupervisorOptions, type SupervisorState } from '../qmp/supervisor';
import { parseTarget } from '../qmp/target';
import type { QmpEvent, QmpObject, QmpValue } from '../qmp/types';
import { eventEffect, RUN_STATE_EVENTS } from './run-state';
import { DETAIL_COMMANDS, detailField, failureOutcome } from './vm-details';

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
}

/** Window over which event-triggered re-reads are merged. */
const REREAD_WINDOW_MS = 50;
/** A query-status reply that raced with run-state events is retried this many times. */
const STATUS_RETRIES = 5;

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
  private rereadTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  public constructor(private readonly options: VmSessionOptions) {
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
    const supervisor = new QmpSupervisor(target, this.options.supervisor);
    this.supervisor = supervisor;
    this.unsubscribe = [
      supervisor.onState((state) => this.onSupervisorState(supervisor, state)),
      supervisor.onReady((client) => this.onReady(supervisor, client)),
      supervisor.onEvent((event) => this.onEvent(supervisor, event)),
    ];
    supervisor.start();
  }

  /** Stops supervising and closes the socket; the VM stays listed as `stopped`. */
  public async disconnect(reason = 'disconnected by the user'): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    this.generation += 1;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.clearRereads();
    if (supervisor) await supervisor.stop();
    if (!this.disposed) {
      this.setConnection({ phase: 'stopped', reason, attempt: 0, since: Date.now() });
      this.update({ runState: undefined });
    }
  }

  /** Applies an edited config; a changed target reconnects when the VM was connected. */
  public async updateConfig(config: VmConfig): Promise<void> {
    const targetChanged = config.target !== this.snap.config.target;
    const wasActive = this.active;
    this.update({ config });
    if (targetChanged && wasActive) {
      await this.disconnect('target changed');
      this.update({ qemu: undefined, name: undefined, uuid: undefined, details: {} });
      this.connect();
    }
  }

  /**
   * Runs one QMP command and reports QEMU's answer or the reason there was none.
   *
   * Never throws: the console and the buttons show every outcome the same way.
   */
  public async execute(command: string, args: QmpObject | undefined, timeoutMs?: number, oob?: boolean): Promise<CommandOutcome> {
    const started = performance.now();
    const supervisor = this.supervisor;
    if (!supervisor) {
      const why = this.snap.connection.reason ?? this.snap.connection.phase;
      return failureOutcome(new QmpConnectionError(`not connected: ${why}`), 0);
    }
    try {
      const value = await supervisor.execute(command, args, {
        timeoutMs: timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        ...(oob ? { oob } : {}),
      });
      return { ok: true, returnJson: stringifyQmp(value ?? {}), durationMs: performance.now() - started };
    } catch (error) {
      return failureOutcome(error, performance.now() - started);
    }
  }

  /** Stops everything for good (VM removed or app quitting). */
  public async dispose(): Promise<void> {
    this.disposed = true;
    await this.disconnect('removed');
  }

  private onSupervisorState(supervisor: QmpSupervisor, state: SupervisorState): void {
    if (supervisor !== this.supervisor) return;
    const connection: ConnectionState = {
      phase: state.phase,
      attempt: state.attempt,
      since: state.since,
      ...(state.reason !== undefined ? { reason: state.reason } : {}),
      ...(state.nextRetryAt !== undefined ? { nextRetryAt: state.nextRetryAt } : {}),
    };
    this.setConnection(connection);
    // Whatever QEMU said before the drop may no longer hold; show it as unknown until re-read.
    if (state.phase !== 'ready' && this.snap.runState) this.update({ runState: undefined });
    if (state.phase !== 'ready') this.generation += 1;
  }

  private onReady(supervisor: QmpSupervisor, client: QmpClient): void {
    if (supervisor !== this.supervisor) return;
    this.generation += 1;
    const { version, capabilities } = client.greeting;
    this.update({
      qemu: {
        version: `${version.qemu.major}.${version.qemu.minor}.${version.qemu.micro}`,
        package: version.package,
        capabilities: [...capabilities],
      },
    });
    void this.readIdentity(client, this.generation);
    void this.readStatus(client, this.generation);
    void this.readDetails(client, this.generation, DETAIL_KEYS);
  }

  private onEvent(supervisor: QmpSupervisor, event: QmpEvent): void {
    if (supervisor !== this.supervisor) return;
    const receivedAt = Date.now();
    this.options.onEvent(this.id, event, receivedAt);
    if (RUN_STATE_EVENTS.has(event.event)) this.runStateEvents += 1;
    const effect = eventEffect(event, receivedAt);
    if (effect.runState) this.update({ runState: effect.runState });
    if (effect.rereadStatus) this.statusStale = true;
    for (const key of effect.staleDetails) this.staleKeys.add(key);
    if ((effect.rereadStatus || effect.staleDetails.length > 0) && !this.rereadTimer) {
      this.rereadTimer = setTimeout(() => this.rereadStale(), REREAD_WINDOW_MS);
    }
  }

  private rereadStale(): void {
    this.rereadTimer = undefined;
    const client = this.supervisor?.client;
    if (!client) return;
    if (this.statusStale) void this.readStatus(client, this.generation);
    if (this.staleKeys.size > 0) void this.readDetails(client, this.generation, [...this.staleKeys]);
    this.statusStale = false;
    this.staleKeys = new Set();
  }

  private clearRereads(): void {
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
    this.rereadTimer = undefined;
    this.statusStale = false;
    this.staleKeys = new Set();
  }

  private async readIdentity(client: QmpClient, generation: number): Promise<void> {
    const [name, uuid] = await Promise.allSettled([client.execute<QmpValue>('query-name'), client.execute<QmpValue>('query-uuid')]);
    if (generation !== this.generation) return;
    const nameValue = name.status === 'fulfilled' ? field(name.value, 'name') : undefined;
    const uuidValue = uuid.status === 'fulfilled' ? field(uuid.value, 'UUID') : undefined;
    this.update({ name: nameValue, uuid: uuidValue });
  }

  /** Reads query-status; a reply that raced with a run-state event is read again. */
  private async readStatus(client: QmpClient, generation: number): Promise<void> {
    for (let attempt = 0; attempt < STATUS_RETRIES; attempt += 1) {
      const eventsBefore = this.runStateEvents;
      let reply: QmpValue;
      try {
        reply = await client.execute<QmpValue>('query-status');
      } catch {
        return; // The connection dropped: the next ready reads it again.
      }
      if (generation !== this.generation) return;
      if (this.runStateEvents !== eventsBefore && attempt < STATUS_RETRIES - 1) continue;
      const status = field(reply, 'status');
      const running = isObject(reply) && typeof reply.running === 'boolean' ? reply.running : status === 'running';
      const runState: RunState = { status: status ?? 'unknown', running, updatedAt: Date.now(), source: 'query-status' };
      this.update({ runState });
      return;
    }
  }

  private async readDetails(client: QmpClient, generation: number, keys: readonly DetailKey[]): Promise<void> {
    const results = await Promise.all(
      keys.map(async (key) => {
        try {
          return [key, detailField({ ok: true, value: await client.execute<QmpValue>(DETAIL_COMMANDS[key]) })] as const;
        } catch (error) {
          return [key, detailField({ ok: false, error })] as const;
        }
      }),
    );
    if (generation !== this.generation) return;
    this.update({ details: { ...this.snap.details, ...Object.fromEntries(results) } });
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

function isObject(value: QmpValue): value is QmpObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: QmpValue, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' ? found : undefined;
}
