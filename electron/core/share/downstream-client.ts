/**
 * One client of a shared endpoint: QEMU's side of the QMP conversation, played for it.
 *
 * It reads with QEMU's own lexer (so malformed input gets QEMU's answers), negotiates
 * locally, relays commands through the upstream QmpClient (whose id counter makes every
 * relayed id unique), puts the client's own id back on each reply, and receives events
 * fanned out by the SharedMonitor. Nothing it reads can reach QEMU unchecked.
 */
import type { Socket } from 'node:net';
import { isJsonObject, type JsonObject } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import type { QmpError } from '../qmp/errors';
import { ClientOutput, type ReplySlot } from './client-output';
import { findPeerProcess } from './peer-process';
import { parseQemuTokens } from './qemu-json-parser';
import { QemuJsonStreamer, type StreamItem } from './qemu-json-lexer';
import { qemuMessageText } from './qemu-json-text';
import { simpleCommandAt } from './simple-command';
import { checkRequest, errorText, returnText, type ClientId, type ClientProtocolState } from './request-check';
import type { ShareClientInfo, ShareClientNote, SharedCommandNote } from './share-types';

/** What a connection needs from its endpoint. */
export interface DownstreamHooks {
  readonly upstream: () => QmpClient | undefined;
  readonly greetingText: () => string;
  readonly oobOffered: () => boolean;
  readonly log: (line: string) => void;
  readonly changed: () => void;
  /** Each command's outcome, with the client as known once its process was looked up. */
  readonly command: (note: SharedCommandNote) => void;
  /** Whether anyone takes `command` notes now; when not, a reply skips building one. */
  readonly wantsCommandNotes: () => boolean;
  /** Its connect (after the peer lookup) and its going with the reason, in that order. */
  readonly client: (note: ShareClientNote) => void;
  /** Its socket closed (at once, unlike the `disconnected` note, which follows the lookup). */
  readonly closed: (client: DownstreamClient) => void;
  readonly maxQueuedBytes: number;
}

/**
 * Longest wait for the peer lookup (`ss`, a few ms normally) before a Unix client is greeted
 * anyway. Waiting at all is what lets a quick client (`qmp-monitor exec`: greeting, one
 * command, gone) be named: the lookup needs the peer's socket alive, and a client cannot
 * finish before it was greeted. Loopback TCP clients always wait, since the lookup vets them.
 */
export const PEER_LOOKUP_WAIT_MS = 1000;

/** Relayed commands in flight per client before we stop reading from it (QEMU queues 8). */
const MAX_IN_FLIGHT = 64;

/** One accepted downstream connection. */
export class DownstreamClient {
  /** The last snapshot handed out; `snapshot` renews it once `commandCount` moved on. */
  private info: ShareClientInfo;
  /** Counted here rather than by renewing `info` per command, which the UI reads far less often. */
  private commandCount = 0;
  private readonly streamer = new QemuJsonStreamer();
  private readonly output: ClientOutput;
  private protocol: ClientProtocolState = { negotiated: false, oobEnabled: false, oobOffered: false };
  private greeted = false;
  private ended = false;
  private gone = false;
  private inFlight = 0;
  private paused = false;
  /** The peer's process is being looked up (a TCP peer's owner checked); the greeting waits. */
  private vetting = true;
  private greetWhenVetted = false;
  /** Notes (commands, the disconnect) wait for the lookup, so they name the client. */
  private lookedUp = false;
  private readonly afterLookup: (() => void)[] = [];
  /** Why the endpoint cut it off; undefined while the client itself may still close. */
  private dropReason: string | undefined;
  /** Bytes that came before the greeting (QEMU's queued client): parsed once greeted. */
  private early: Buffer[] = [];

  public constructor(
    private readonly socket: Socket,
    id: string,
    private readonly hooks: DownstreamHooks,
  ) {
    const peer = socket.remoteAddress !== undefined ? `tcp ${socket.remoteAddress}:${socket.remotePort ?? 0}` : 'unix';
    this.info = { id, peer, connectedAt: Date.now(), commands: 0 };
    this.output = new ClientOutput(socket, hooks.maxQueuedBytes, (queued) =>
      this.drop(`too slow: ${byteText(queued)} unread (limit ${byteText(hooks.maxQueuedBytes)})`, false),
    );
    socket.setNoDelay?.(true);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', () => undefined); // 'close' follows and says it
    socket.on('close', this.onClose);
    // Loopback TCP is open to every local user, unlike the 0600 Unix socket: a TCP client is
    // greeted only once the kernel says its socket is ours (or cannot say: no `ss`). A Unix
    // client waits for the lookup at most PEER_LOOKUP_WAIT_MS.
    const tcp = socket.remoteAddress !== undefined;
    const bound = tcp ? undefined : setTimeout(() => this.vetted(), PEER_LOOKUP_WAIT_MS);
    void findPeerProcess(socket).then(({ uid, ...peerProcess }) => {
      clearTimeout(bound);
      if (peerProcess.pid !== undefined) this.info = { ...this.snapshot, ...peerProcess };
      this.lookedUp = true;
      this.hooks.client({ change: 'connected', client: this.snapshot, at: this.info.connectedAt });
      for (const note of this.afterLookup.splice(0)) note();
      const ours = process.getuid?.();
      if (tcp && uid !== undefined && ours !== undefined && uid !== ours) {
        this.drop(`its TCP socket belongs to another user (uid ${uid}); shared endpoints serve their own user only`, false);
        return;
      }
      this.vetted();
      this.hooks.changed();
    });
  }

  /** What the UI lists about this client (an object that never changes once handed out). */
  public get snapshot(): ShareClientInfo {
    if (this.info.commands !== this.commandCount) this.info = { ...this.info, commands: this.commandCount };
    return this.info;
  }

  /** Whether it negotiated and so receives events. */
  public get negotiated(): boolean {
    return this.protocol.negotiated;
  }

  /** The lookup ended (or its wait did): greet now if the upstream is ready. */
  private vetted(): void {
    if (!this.vetting) return;
    this.vetting = false;
    if (this.greetWhenVetted) this.greet();
  }

  /** Runs `note` once the peer lookup ended, keeping the order of notes. */
  private whenLookedUp(note: () => void): void {
    if (this.lookedUp) note();
    else this.afterLookup.push(note);
  }

  /** Sends QEMU's greeting (upstream ready) and reads anything the client sent before it. */
  public greet(): void {
    if (this.greeted || this.gone) return;
    if (this.vetting) {
      this.greetWhenVetted = true;
      return;
    }
    this.greeted = true;
    this.protocol = { negotiated: false, oobEnabled: false, oobOffered: this.hooks.oobOffered() };
    this.output.write(this.hooks.greetingText());
    const early = this.early;
    this.early = [];
    for (const chunk of early) this.read(chunk);
    if (this.ended) {
      this.streamer.end(this.onItem);
      this.finishIfIdle();
    }
  }

  /** Relays one event text (already in QEMU's form) if this client negotiated. */
  public event(text: string): void {
    if (this.protocol.negotiated) this.output.write(text);
  }

  /**
   * Disconnects it, with the reason logged.
   *
   * `orderly` (QEMU went away, the endpoint closes) first writes what is already queued, so a
   * `quit` still gets its SHUTDOWN event and reply; a client that overflowed its queue is cut
   * off at once, since it is not reading anyway.
   */
  public drop(reason: string, orderly = true): void {
    if (this.gone) return;
    this.dropReason = reason;
    this.gone = true;
    if (!orderly) {
      this.socket.destroy();
      return;
    }
    this.output.flushNow();
    this.socket.end();
    // A peer that never reads would keep the half-closed socket forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.gone) return;
    if (!this.greeted) {
      this.early.push(chunk);
      if (this.early.reduce((n, b) => n + b.length, 0) > 1024 * 1024) this.drop('it sent over 1 MiB before the greeting', false);
      return;
    }
    this.read(chunk);
  };

  /**
   * Reads a chunk: lone argument-less command lines (most round trips, and pipelined ones)
   * skip the lexer, parser and checks; everything else goes through them, in order.
   */
  private read(chunk: Buffer): void {
    let at = 0;
    if (!this.streamer.idle) {
      // A message cut by the previous chunk: the reader finishes its line, then the fast path may go on.
      const lineEnd = chunk.indexOf(0x0a);
      if (lineEnd < 0 || lineEnd === chunk.length - 1) {
        this.streamer.push(chunk, this.onItem);
        return;
      }
      at = lineEnd + 1;
      this.streamer.push(chunk.subarray(0, at), this.onItem);
    }
    let text: string | undefined;
    while (at < chunk.length && this.protocol.negotiated && this.streamer.idle) {
      const first = chunk[at];
      if (first !== 0x7b && first !== 0x20 && first !== 0x0a && first !== 0x0d && first !== 0x09) break;
      text ??= chunk.toString('latin1');
      const simple = simpleCommandAt(text, at);
      if (!simple) break;
      if (!this.gone) this.relay(simple.command, undefined, false, simple.id);
      at = simple.end;
    }
    if (at < chunk.length) this.streamer.push(at === 0 ? chunk : chunk.subarray(at), this.onItem);
  }

  private readonly onItem = (item: StreamItem): void => {
    if (this.gone) return;
    if ('error' in item) {
      this.output.fill(this.output.reserve(), errorText('GenericError', item.error, { present: false }));
      return;
    }
    const parsed = parseQemuTokens(item.tokens);
    if ('error' in parsed) {
      this.output.fill(this.output.reserve(), errorText('GenericError', parsed.error, { present: false }));
      return;
    }
    const decision = checkRequest(parsed.value, this.protocol);
    if (decision.kind === 'answer') {
      this.output.fill(this.output.reserve(), decision.text);
    } else if (decision.kind === 'negotiated') {
      this.protocol = { ...this.protocol, negotiated: true, oobEnabled: decision.oob };
      this.output.fill(this.output.reserve(), decision.text);
      this.hooks.changed();
    } else {
      this.relay(decision.command, decision.args, decision.oob, decision.id);
    }
  };

  private relay(command: string, args: JsonObject | undefined, oob: boolean, id: ClientId): void {
    const slot = oob ? undefined : this.output.reserve();
    const started = performance.now();
    this.commandCount++;
    this.inFlight++;
    if (this.inFlight >= MAX_IN_FLIGHT && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    const upstream = this.hooks.upstream();
    const refused = upstream
      ? upstream.forward(command, args, oob, (reply) => this.onReply(slot, command, id, started, reply))
      : new Error('the connection to QEMU is down');
    if (refused) this.onReply(slot, command, id, started, refused);
    this.hooks.changed();
  }

  private onReply(slot: ReplySlot | undefined, command: string, id: ClientId, started: number, reply: JsonObject | QmpError | Error): void {
    this.inFlight--;
    if (this.paused && this.inFlight < MAX_IN_FLIGHT / 2) {
      this.paused = false;
      this.socket.resume();
    }
    let text: string;
    let errorClass: string | undefined;
    if (reply instanceof Error) {
      errorClass = 'Disconnected';
      text = errorText('GenericError', `QMP Monitor: no reply from QEMU to ${command}: ${reply.message}`, id);
    } else if (Object.hasOwn(reply, 'return')) {
      text = returnText(reply['return']!, id);
    } else {
      const error = reply['error'] ?? {};
      errorClass = isJsonObject(error) && typeof error['class'] === 'string' ? error['class'] : 'GenericError';
      text = qemuMessageText(id.present ? { id: id.value, error } : { error });
    }
    // Nobody to tell once the lookup is over: a round trip must not pay for a note nobody reads.
    if (!this.lookedUp || this.hooks.wantsCommandNotes()) {
      const at = Date.now();
      const durationMs = performance.now() - started;
      this.whenLookedUp(() =>
        this.hooks.command({ client: this.snapshot, command, ok: errorClass === undefined, ...(errorClass !== undefined ? { errorClass } : {}), durationMs, at }),
      );
    }
    if (this.gone) return; // the client left mid-command: its reply is dropped
    if (slot) this.output.fill(slot, text);
    else this.output.write(text);
    if (this.ended) this.finishIfIdle();
  }

  private readonly onEnd = (): void => {
    // A half-close: like QEMU, nothing more is read; unlike QEMU, replies still owed are sent
    // first, so `printf ... | socat` style clients get their answers.
    this.ended = true;
    if (this.greeted) this.streamer.end(this.onItem);
    this.finishIfIdle();
  };

  private finishIfIdle(): void {
    if (!this.greeted || this.inFlight > 0 || this.output.owed > 0 || this.gone) return;
    this.gone = true;
    this.socket.end();
  }

  private readonly onClose = (): void => {
    this.gone = true;
    this.hooks.closed(this);
    const reason = this.dropReason ?? `it closed the connection after ${this.commandCount} command(s)`;
    const at = Date.now();
    this.whenLookedUp(() => this.hooks.client({ change: 'disconnected', client: this.snapshot, reason, at }));
  };
}

/** 'c3 (python3, pid 42)', or 'c3' while its process is unknown: a client in log lines. */
export function describeClient(info: ShareClientInfo): string {
  const who = info.pid !== undefined ? ` (${info.processName ?? '?'}, pid ${info.pid})` : '';
  return `${info.id}${who}`;
}

/** `16 MiB`, `64 KiB`, `512 bytes`: a queue size as people read it. */
function byteText(bytes: number): string {
  const round = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
