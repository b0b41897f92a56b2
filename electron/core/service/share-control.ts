/**
 * "Share this monitor": one shared QMP endpoint per VM the app holds, following its session.
 *
 * QEMU serves one client per monitor, so while the app watches a VM every other QMP tool would
 * hang. Each VM with sharing on (the default: the app holding a monitor is exactly when others
 * need the way in) gets a SharedMonitor that listens while the session is supervised, is
 * attached to the QMP client whenever it is ready, detached while it reconnects (the endpoint
 * stays, so a tool's path keeps working across a QEMU restart), and closed when the session
 * stops, sharing is turned off or the VM goes. Every command a shared client sends becomes a
 * timeline marker naming it, and the snapshot lists the clients as the OS names them.
 */
import type { ShareState } from '../../common/models';
import type { QmpClient } from '../qmp/qmp-client';
import { defaultShareSocketPath } from '../share/held-targets';
import { ensurePrivateFolder } from '../share/runtime-folder';
import type { ShareClientInfo, ShareClientNote, ShareEndpointAddress, ShareEndpointOptions, SharedCommandNote } from '../share/share-types';
import type { AppMarker } from '../vm/app-marker';
import type { ClientChange, VmSession } from '../vm/vm-session';
import { sharedClientMarker } from './shared-client-marker';
import { sharedCommandMarker } from './shared-command-marker';

/** What share-control needs of B1's SharedMonitor (electron/core/share/shared-monitor.ts). */
export interface ShareEndpoint {
  readonly endpoint: ShareEndpointAddress;
  listen(): Promise<void>;
  attach(client: QmpClient): void;
  detach(reason: string): void;
  close(): Promise<void>;
  clients(): readonly ShareClientInfo[];
  onChange(listener: () => void): () => void;
  onCommand(listener: (note: SharedCommandNote) => void): () => void;
  onClient(listener: (note: ShareClientNote) => void): () => void;
}

/** Marks a target as held by this app, so the CLI goes through the endpoint; resolves to the undo. */
export type HoldTarget = (target: string, endpoint: ShareEndpointAddress) => Promise<() => void>;

/** Options of {@link ShareControl}. */
export interface ShareControlOptions {
  /**
   * The per-user runtime folder (share/runtime-folder.ts: `$XDG_RUNTIME_DIR/qmp-monitor/`, else
   * `$TMPDIR/qmp-monitor-UID/`), where the CLI and a proxy find endpoints too.
   */
  readonly folder: string;
  readonly createEndpoint: (options: ShareEndpointOptions) => ShareEndpoint;
  /** Registers the held target for the CLI's auto-detection (none: not registered). */
  readonly hold?: HoldTarget;
  readonly onMarker: (vmId: string, marker: AppMarker, at: number) => void;
  /**
   * One line per client connect/disconnect (with the reason) and refusal, from every VM's
   * endpoint, each line starting with the VM's name (the app writes them to stderr).
   */
  readonly log?: (line: string) => void;
  /** Bytes a client may leave unread before it is cut off (default: the endpoint's, 16 MiB). */
  readonly maxClientQueueBytes?: number;
}

/** Longest Unix socket path Linux binds (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** The shared endpoints of every VM of one running app. */
export class ShareControl {
  private readonly shares = new Map<string, VmShare>();

  public constructor(private readonly options: ShareControlOptions) {}

  /** Starts following `session` (once per session); its share state appears in its snapshot. */
  public bind(session: VmSession): void {
    void this.shares.get(session.id)?.dispose('replaced');
    this.shares.set(session.id, new VmShare(session, this.options));
  }

  /** Turns sharing on or off for one VM; resolves once the endpoint listens or is closed. */
  public setEnabled(vmId: string, enabled: boolean): Promise<void> {
    return this.shares.get(vmId)?.setEnabled(enabled) ?? Promise.resolve();
  }

  /** Closes one VM's endpoint for good (the VM was removed). */
  public release(vmId: string, reason: string): Promise<void> {
    const share = this.shares.get(vmId);
    this.shares.delete(vmId);
    return share?.dispose(reason) ?? Promise.resolve();
  }

  /** Closes every endpoint (the app quits). */
  public async dispose(): Promise<void> {
    const all = [...this.shares.values()];
    this.shares.clear();
    await Promise.allSettled(all.map((share) => share.dispose('the app quit')));
  }
}

/** One VM's endpoint. Opening and closing run one at a time, in the order asked. */
class VmShare {
  private endpoint: ShareEndpoint | undefined;
  private unhold: (() => void) | undefined;
  private offEndpoint: (() => void)[] = [];
  private readonly offSession: () => void;
  private enabled: boolean;
  private error: string | undefined;
  private disposed = false;
  private work: Promise<void> = Promise.resolve();

  public constructor(
    private readonly session: VmSession,
    private readonly options: ShareControlOptions,
  ) {
    this.enabled = session.snapshot.config.share !== false;
    this.offSession = session.onClientChange((change) => this.follow(change));
    this.publish();
    if (session.active) void this.queue(() => this.open());
  }

  public setEnabled(enabled: boolean): Promise<void> {
    this.enabled = enabled;
    this.error = undefined;
    this.publish();
    return this.queue(() => (enabled ? this.open() : this.close('sharing was turned off')));
  }

  public dispose(reason: string): Promise<void> {
    this.disposed = true;
    this.offSession();
    return this.queue(() => this.close(reason));
  }

  private follow(change: ClientChange): void {
    switch (change.kind) {
      case 'supervising':
      case 'ready':
        void this.queue(() => this.open());
        return;
      case 'lost':
        // The endpoint stays (clients of the path wait for the greeting), but the app holds
        // nothing now: a CLI run meanwhile goes to QEMU itself and fails fast.
        void this.queue(async () => {
          this.release();
          this.endpoint?.detach(change.reason);
        });
        return;
      case 'stopped':
        void this.queue(() => this.close(change.reason));
        return;
    }
  }

  private queue(step: () => Promise<void>): Promise<void> {
    const next = this.work.then(step).catch((error: unknown) => {
      this.error = error instanceof Error ? error.message : String(error);
      this.publish();
    });
    this.work = next;
    return next;
  }

  /** Listens when wanted and not yet listening, then attaches the client if it is ready now. */
  private async open(): Promise<void> {
    if (!this.enabled || this.disposed || !this.session.active) return;
    if (!this.endpoint) await this.listen();
    // The client of the moment, not of the event: a ready that came and went while the
    // endpoint was opening must not attach a closed client.
    const client = this.session.client;
    if (!client || !this.endpoint) return;
    this.endpoint.attach(client);
    await this.hold(this.endpoint);
  }

  /**
   * The socket path: the runtime folder's name for the target (share/held-targets.ts), so it
   * stays the same across restarts (scripts can keep it) and matches what a proxy would use.
   */
  private socketPath(): string {
    return defaultShareSocketPath(this.session.snapshot.config.target, this.options.folder);
  }

  private async listen(): Promise<void> {
    const unixPath = this.socketPath();
    const log = this.options.log;
    const { maxClientQueueBytes } = this.options;
    const endpoint = this.options.createEndpoint({
      unixPath,
      ...(log ? { log: (line: string) => log(`${this.vmName()}: ${line}`) } : {}),
      ...(maxClientQueueBytes !== undefined ? { maxClientQueueBytes } : {}),
    });
    try {
      const bytes = Buffer.byteLength(unixPath);
      if (bytes > MAX_SOCKET_PATH_BYTES) {
        throw new Error(`the path is ${bytes} bytes and a Unix socket's may be ${MAX_SOCKET_PATH_BYTES}; set XDG_RUNTIME_DIR or use a shorter data folder`);
      }
      ensurePrivateFolder(this.options.folder);
      await endpoint.listen();
    } catch (error) {
      await endpoint.close().catch(() => undefined);
      throw new Error(`could not share the monitor at ${unixPath}: ${(error as Error).message}`, { cause: error });
    }
    this.endpoint = endpoint;
    this.error = undefined;
    this.offEndpoint = [
      endpoint.onChange(() => this.publish()),
      // The client's counter changes too; the endpoint's onChange (coalesced) publishes it.
      endpoint.onCommand((note) => this.options.onMarker(this.session.id, sharedCommandMarker(note), note.at)),
      endpoint.onClient((note) => this.options.onMarker(this.session.id, sharedClientMarker(note), note.at)),
    ];
    this.publish();
  }

  /** Registers the target as held while the endpoint serves it, so `qmp-monitor exec` comes here. */
  private async hold(endpoint: ShareEndpoint): Promise<void> {
    if (this.unhold || !this.options.hold) return;
    try {
      this.unhold = await this.options.hold(this.session.snapshot.config.target, endpoint.endpoint);
    } catch (error) {
      this.error = `qmp-monitor will not find this endpoint by itself: ${(error as Error).message}`;
      this.publish();
    }
  }

  private release(): void {
    this.unhold?.();
    this.unhold = undefined;
  }

  /** The VM as the sidebar names it, for log lines: QMP name, else label, else target. */
  private vmName(): string {
    const { name, config } = this.session.snapshot;
    return `shared monitor of ${name || config.label || config.target}`;
  }

  private async close(reason: string): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    this.release();
    for (const off of this.offEndpoint.splice(0)) off();
    if (endpoint) {
      endpoint.detach(reason);
      await endpoint.close();
    }
    this.publish();
  }

  private publish(): void {
    if (this.disposed) return;
    this.session.setShare(this.state());
  }

  private state(): ShareState {
    const endpoint = this.endpoint;
    const status: ShareState['status'] = !this.enabled ? 'off' : endpoint ? 'listening' : this.error ? 'failed' : 'waiting';
    const address = endpoint?.endpoint;
    return {
      enabled: this.enabled,
      status,
      ...(address ? { endpoint: { ...address } } : {}),
      clients: (endpoint?.clients() ?? []).map((client) => ({ ...client })),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }
}
