/**
 * Keeps one QMP target connected across QEMU restarts.
 *
 * VMs get rebooted, upgraded and killed; the app should simply pick the monitor up again on
 * the same socket. The supervisor owns at most one client at a time, retries with capped
 * exponential backoff, and reports every step so the UI can show why it is waiting.
 */
import { existsSync } from 'node:fs';
import { backoffDelay } from './backoff';
import type { ConnectionState } from '../../common/models';
import { notConnectedError, QmpConnectionError, type QmpError } from './errors';
import { Listeners } from './listeners';
import { QmpClient, type ExecuteOptions, type QmpClientOptions } from './qmp-client';
import { watchForSocket } from './socket-appearance';
import type { JsonObject, JsonValue } from '../../common/json-text';
import type { QmpEvent, QmpTarget } from './types';


/** Client options plus the backoff shape. */
export interface SupervisorOptions {
  readonly client?: QmpClientOptions;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
  readonly jitter?: number;
}

/** A socket file that just appeared may be bound but not yet listening: one quick retry covers it. */
const FRESH_SOCKET_GRACE_MS = 50;

/**
 * Supervises one target: connect, watch, reconnect, until `stop`.
 *
 * Backoff resets after every successful negotiation, so the first retry after a loss comes
 * within `initialDelayMs`; later ones grow up to `maxDelayMs`. A unix socket's folder is
 * watched while waiting, so a QEMU restarted after a long outage is connected as soon as its
 * socket file appears instead of at the next backoff tick. TCP targets, and socket files that
 * exist but refuse, wait out the backoff.
 */
export class QmpSupervisor {
  /** The supervised target. */
  public readonly target: QmpTarget;
  private readonly options: SupervisorOptions;
  private currentState: ConnectionState;
  private current: QmpClient | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private connectAbort: AbortController | undefined;
  private connecting: Promise<void> | undefined;
  private stopWatching: (() => void) | undefined;
  /** The attempt in flight was started because the socket file appeared. */
  private freshSocket = false;
  /** Connect attempts since the last success (reported as `attempt`). */
  private attempts = 0;
  /** Retries scheduled since the last success (drives the backoff exponent). */
  private retries = 0;
  private readonly states = new Listeners<ConnectionState>();
  private readonly readies = new Listeners<QmpClient>();
  private readonly events = new Listeners<QmpEvent>();

  public constructor(target: QmpTarget, options: SupervisorOptions = {}) {
    this.target = target;
    this.options = options;
    this.currentState = { phase: 'stopped', reason: 'not started', attempt: 0, since: Date.now() };
  }

  /** The latest state. */
  public get state(): ConnectionState {
    return this.currentState;
  }

  /** The connected client while 'ready', else undefined. */
  public get client(): QmpClient | undefined {
    return this.currentState.phase === 'ready' ? this.current : undefined;
  }

  /** Starts connecting; calling it again while running does nothing. */
  public start(): void {
    if (this.currentState.phase !== 'stopped') return;
    this.attempts = 0;
    this.retries = 0;
    this.attempt('connecting', 'starting');
  }

  /** Stops for good: cancels the retry timer and any connect in flight, closes the client. */
  public async stop(): Promise<void> {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopWatching?.();
    this.connectAbort?.abort();
    const client = this.current;
    this.current = undefined;
    if (this.currentState.phase !== 'stopped') this.setState({ phase: 'stopped', reason: 'stopped by the user', attempt: 0 });
    await Promise.all([client?.close(), this.connecting]);
  }

  /** Skips the remaining backoff wait and connects now (no-op unless 'reconnecting'). */
  public retryNow(): void {
    if (this.currentState.phase !== 'reconnecting') return;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt('connecting', 'retry requested');
  }

  /** Runs a command on the current client; rejects at once when not connected. */
  public execute<T = JsonValue>(command: string, args?: JsonObject, options?: ExecuteOptions): Promise<T> {
    const client = this.client;
    if (!client) return Promise.reject(notConnectedError(command, this.currentState.reason ?? this.currentState.phase));
    return client.execute<T>(command, args, options);
  }

  /**
   * Every state change, with its reason and the next retry time, in the app's own shape
   * (`attempt` counts connect attempts since the last success), so it is passed on as is.
   */
  public onState(listener: (state: ConnectionState) => void): () => void {
    return this.states.add(listener);
  }

  /** After each successful (re)connect: re-read whatever state the app shows. */
  public onReady(listener: (client: QmpClient) => void): () => void {
    return this.readies.add(listener);
  }

  /** Events of whichever client is current. */
  public onEvent(listener: (event: QmpEvent) => void): () => void {
    return this.events.add(listener);
  }

  private attempt(phase: 'connecting', reason: string, freshSocket = false): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.freshSocket = freshSocket;
    const abort = new AbortController();
    this.connectAbort = abort;
    this.attempts++;
    this.setState({ phase, reason, attempt: this.attempts });
    this.connecting = QmpClient.connect(this.target, { ...this.options.client, signal: abort.signal }).then(
      (client) => this.onConnected(client, abort),
      (error: QmpError) => this.onConnectFailed(error, abort),
    );
  }

  private onConnected(client: QmpClient, abort: AbortController): void {
    this.connecting = undefined;
    if (abort.signal.aborted || this.currentState.phase === 'stopped') {
      void client.close();
      return;
    }
    this.attempts = 0;
    this.retries = 0;
    this.current = client;
    client.onEvent((event) => this.events.emit(event));
    client.onClose((error) => this.onLost(client, error));
    this.setState({ phase: 'ready', reason: `connected to QEMU ${formatVersion(client)}`, attempt: 0 });
    this.readies.emit(client);
  }

  private onConnectFailed(error: QmpError, abort: AbortController): void {
    this.connecting = undefined;
    if (abort.signal.aborted || this.currentState.phase === 'stopped') return;
    const code = error instanceof QmpConnectionError ? error.code : undefined;
    if (this.freshSocket && code === 'ECONNREFUSED') this.scheduleRetry(error.message, code, FRESH_SOCKET_GRACE_MS);
    else this.scheduleRetry(error.message, code);
  }

  private onLost(client: QmpClient, error: QmpError): void {
    if (this.current !== client || this.currentState.phase === 'stopped') return;
    this.current = undefined;
    this.scheduleRetry(error.message, error instanceof QmpConnectionError ? error.code : undefined);
  }

  /** Waits out the backoff (or `graceMs`, which does not count as a retry), watching a unix socket meanwhile. */
  private scheduleRetry(reason: string, code: string | undefined, graceMs?: number): void {
    if (graceMs === undefined) this.retries++;
    const delay = graceMs ?? backoffDelay(this.retries, this.options);
    const now = Date.now();
    this.setState({ phase: 'reconnecting', reason, attempt: this.attempts + 1, nextRetryAt: now + delay }, now);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.attempt('connecting', `retrying after: ${reason}`);
    }, delay);
    if (this.target.kind !== 'unix') return;
    const path = this.target.path;
    this.stopWatching = watchForSocket(path, () => this.onSocketAppeared(path));
    // It may have appeared between the failed connect and the watch being set up.
    if (code === 'ENOENT' && existsSync(path)) this.onSocketAppeared(path);
  }

  private onSocketAppeared(path: string): void {
    if (this.currentState.phase !== 'reconnecting') return;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt('connecting', `socket ${path} appeared`, true);
  }

  private setState(state: Omit<ConnectionState, 'since'>, now = Date.now()): void {
    this.currentState = { ...state, since: now };
    this.states.emit(this.currentState);
  }
}

function formatVersion(client: QmpClient): string {
  const { major, minor, micro } = client.greeting.version.qemu;
  return `${major}.${minor}.${micro}`;
}
