/**
 * A QMP multiplexer: one upstream monitor, served to many clients as if each had QEMU.
 *
 * QEMU serves one client per monitor and queues the next silently (issue 11), so whoever
 * holds the monitor (the app, or `qmp-monitor proxy`) shares it here: a Unix socket (0600)
 * and/or loopback TCP endpoint where every client gets QEMU's greeting, its own negotiation,
 * its own replies with its own ids, and every event. The endpoint listens for the holder's
 * whole life; clients that connect while QEMU is away wait for the greeting, as QEMU's own
 * queued client does, and are greeted when the upstream is ready again.
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Listeners } from '../qmp/listeners';
import type { QmpClient } from '../qmp/qmp-client';
import type { QmpEvent } from '../qmp/types';
import type { JsonValue } from '../../common/json-text';
import { DownstreamClient, describeClient } from './downstream-client';
import { qemuMessageText } from './qemu-json-text';
import type { ShareClientInfo, ShareClientNote, ShareEndpointAddress, ShareEndpointOptions, SharedCommandNote } from './share-types';

/** Default bound on what one client may leave unread: a few big replies, many events. */
export const DEFAULT_MAX_CLIENT_QUEUE_BYTES = 16 * 1024 * 1024;

/** Serves one upstream QMP connection to any number of downstream clients. */
export class SharedMonitor {
  private readonly options: ShareEndpointOptions;
  private readonly servers: Server[] = [];
  private readonly downstream = new Set<DownstreamClient>();
  private upstream: QmpClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private greeting = '';
  private oob = false;
  private nextClient = 1;
  private address: ShareEndpointAddress = {};
  private ownsSocketFile = false;
  private readonly changes = new Listeners<void>();
  private readonly commands = new Listeners<SharedCommandNote>();
  private readonly comings = new Listeners<ShareClientNote>();
  private changeQueued = false;

  public constructor(options: ShareEndpointOptions) {
    if (options.unixPath === undefined && options.tcp === undefined) throw new Error('a shared endpoint needs a unix path or a tcp port');
    if (options.tcp && options.tcp.host !== '127.0.0.1') throw new Error('a shared QMP endpoint listens on 127.0.0.1 only (QMP has no authentication)');
    this.options = options;
  }

  /** Where it listens, once `listen` resolved (a TCP port 0 is replaced by the real one). */
  public get endpoint(): ShareEndpointAddress {
    return this.address;
  }

  /**
   * Binds the endpoint(s).
   *
   * A socket file left by a dead holder is replaced; one that still accepts connections
   * belongs to a live holder and is refused, so two holders never fight over one path.
   */
  public async listen(): Promise<void> {
    const { unixPath, tcp } = this.options;
    if (unixPath !== undefined) {
      await removeStaleSocket(unixPath);
      const server = await this.bind((s) => s.listen(unixPath));
      this.ownsSocketFile = true;
      // The folder is 0700 (see runtime-folder.ts), which covers the moment before this chmod.
      chmodSync(unixPath, 0o600);
      this.servers.push(server);
      this.address = { ...this.address, unixPath };
    }
    if (tcp !== undefined) {
      const server = await this.bind((s) => s.listen(tcp.port, '127.0.0.1'));
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : tcp.port;
      this.servers.push(server);
      this.address = { ...this.address, tcp: `127.0.0.1:${port}` };
    }
  }

  /** The upstream is negotiated: greet waiting clients, relay its events from now on. */
  public attach(client: QmpClient): void {
    if (this.upstream === client) return;
    if (this.upstream) this.detach('the upstream connection was replaced');
    this.upstream = client;
    this.oob = client.enabledCapabilities.includes('oob');
    this.greeting = greetingText(client, this.oob);
    const offEvent = client.onEvent(this.onEvent);
    const offClose = client.onClose((error) => this.detach(`the connection to QEMU ended: ${error.message}`));
    this.unsubscribe = () => {
      offEvent();
      offClose();
    };
    for (const downstream of this.downstream) downstream.greet();
    this.log(`sharing ${client.greeting.version.package || 'QEMU'} with clients`);
  }

  /**
   * The upstream is gone: every greeted client is disconnected, after the error reply that
   * each of its waiting commands gets from QmpClient's close (see DownstreamClient.onReply).
   */
  public detach(reason: string): void {
    if (!this.upstream) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.upstream = undefined;
    this.log(`upstream gone (${reason}); disconnecting ${this.downstream.size} client(s)`);
    for (const downstream of [...this.downstream]) downstream.drop(`QEMU is gone: ${reason}`);
  }

  /** Stops listening, disconnects every client and removes the socket file. */
  public async close(): Promise<void> {
    for (const downstream of [...this.downstream]) downstream.drop('the shared endpoint closed');
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.upstream = undefined;
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.servers.length = 0;
    const path = this.options.unixPath;
    if (path !== undefined && this.ownsSocketFile) {
      this.ownsSocketFile = false;
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  }

  /** The clients connected now, oldest first. */
  public clients(): readonly ShareClientInfo[] {
    return [...this.downstream].map((d) => d.snapshot);
  }

  /**
   * Clients came or went, or their counters changed (coalesced to once per tick, and only
   * scheduled while someone listens: a change before the first listener is not replayed).
   */
  public onChange(listener: () => void): () => void {
    return this.changes.add(listener);
  }

  /** Each command a client ran, when its reply came. */
  public onCommand(listener: (note: SharedCommandNote) => void): () => void {
    return this.commands.add(listener);
  }

  /** Each client's connect and disconnect (with the reason), also written to the log. */
  public onClient(listener: (note: ShareClientNote) => void): () => void {
    return this.comings.add(listener);
  }

  private bind(start: (server: Server) => void): Promise<Server> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, this.onConnection);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        server.on('error', (error) => this.log(`endpoint error: ${error.message}`));
        resolve(server);
      });
      start(server);
    });
  }

  private readonly onConnection = (socket: Socket): void => {
    const client = new DownstreamClient(socket, `c${this.nextClient++}`, {
      upstream: () => this.upstream,
      greetingText: () => this.greeting,
      oobOffered: () => this.oob,
      log: (line) => this.log(line),
      changed: () => this.changed(),
      command: (note) => this.commands.emit(note),
      wantsCommandNotes: () => !this.commands.empty,
      client: (note) => {
        const who = describeClient(note.client);
        if (note.change === 'connected') this.log(`client ${who} connected (${note.client.peer})${this.upstream ? '' : '; waiting for QEMU'}`);
        else this.log(`client ${who} disconnected: ${note.reason ?? 'gone'}`);
        this.comings.emit(note);
      },
      closed: (gone) => {
        this.downstream.delete(gone);
        this.changed();
      },
      maxQueuedBytes: this.options.maxClientQueueBytes ?? DEFAULT_MAX_CLIENT_QUEUE_BYTES,
    });
    this.downstream.add(client);
    if (this.upstream) client.greet();
    this.changed();
  };

  private readonly onEvent = (event: QmpEvent): void => {
    // Nobody to tell: a flood must not pay for writing each event out again.
    if (this.downstream.size === 0) return;
    const text = qemuMessageText(event as unknown as JsonValue);
    for (const downstream of this.downstream) downstream.event(text);
  };

  private changed(): void {
    // Nobody listening (a headless proxy): no per-command tick for a note nobody reads.
    if (this.changeQueued || this.changes.empty) return;
    this.changeQueued = true;
    setImmediate(() => {
      this.changeQueued = false;
      this.changes.emit();
    });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** QEMU's greeting as QEMU writes it, offering oob only when the upstream negotiated it. */
function greetingText(client: QmpClient, oob: boolean): string {
  const { qemu, package: pkg } = client.greeting.version;
  return qemuMessageText({
    QMP: { version: { qemu: { micro: qemu.micro, minor: qemu.minor, major: qemu.major }, package: pkg }, capabilities: oob ? ['oob'] : [] },
  });
}

/** Removes a socket file nobody accepts on; refuses one a live holder still serves. */
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) throw new Error(`${path} exists and is not a socket; not replacing it`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`${path} is already served by a live process; not taking it over`);
  unlinkSync(path);
}
