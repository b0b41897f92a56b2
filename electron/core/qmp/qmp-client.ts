/**
 * One QMP connection: greeting, capability negotiation, id-correlated commands and events.
 *
 * Over 150 lines because the connection life cycle (handshake, dispatch, every way a socket can
 * end) is one state machine; the pieces that are not (encoding, batched writes, pending
 * registry, greeting and message shapes, socket opening, close wording) live beside it.
 */
import type { Socket } from 'node:net';
import { BatchedWriter } from './batched-writer';
import { encodeCommand } from './command-line';
import { notConnectedError, QmpAbortError, QmpClosedError, QmpError, QmpProtocolError, QmpTimeoutError, type QmpCommandError } from './errors';
import { processReadTurns } from './read-turns';
import { QmpFramer } from './framer';
import { parseGreeting } from './greeting';
import { Listeners } from './listeners';
import { toCommandError, toEvent } from './message-shapes';
import { openSocket } from './open-socket';
import { PendingCommands } from './pending-commands';
import { closeErrorFor, describeEnd, type EndCause } from './close-reason';
import { formatTarget } from './target';
import type { JsonObject, JsonValue } from '../../common/json-text';
import type { QmpEvent, QmpGreeting, QmpTarget } from './types';
import type { WireDirection } from '../../common/wire-recording';
import { WireSplitter } from '../wire/wire-splitter';

/**
 * Events kept while the handshake is unfinished. QEMU has a handful at most (start-up's
 * RESUME); a peer sending thousands before its greeting is not a QMP monitor we can trust.
 */
const MAX_EARLY_EVENTS = 1000;

/** Where a connection is in its life. `closed` and `failed` are final. */
export type ClientPhase = 'connecting' | 'greeting' | 'negotiating' | 'ready' | 'closed' | 'failed';

/** The observable state; `reason` and `error` say why a final phase was reached. */
export interface ClientState {
  readonly phase: ClientPhase;
  readonly reason?: string;
  readonly error?: QmpError;
}

/** Connection options; every field has a safe default. */
export interface QmpClientOptions {
  /** Socket connect deadline in ms (default 5000). */
  readonly connectTimeoutMs?: number;
  /** Deadline for the greeting and for the negotiation reply, in ms (default 5000). */
  readonly greetingTimeoutMs?: number;
  /** Ask for 'oob' when the greeting offers it (default true). */
  readonly enableOob?: boolean;
  /** Largest accepted message in bytes (default 64 MiB). */
  readonly maxMessageBytes?: number;
  /** Timeout applied when `execute` gets none (default: none). */
  readonly defaultTimeoutMs?: number;
  /** Cancels an in-flight connect (the supervisor's stop uses it). */
  readonly signal?: AbortSignal;
  /** Sees every phase from 'connecting' on, before `connect` resolves. */
  readonly onStateChange?: (state: ClientState) => void;
  /**
   * Sees the traffic exactly as it crossed the socket, for the wire log and recordings: each
   * line we write, and what QEMU sends cut into one text per message (see WireSplitter), with
   * the time in ms since the epoch. Unset, nothing is copied or scanned.
   */
  readonly onWire?: WireTap;
}

/** The listener of {@link QmpClientOptions.onWire}. */
export type WireTap = (direction: WireDirection, text: string, at: number) => void;

/** Per-command options. */
export interface ExecuteOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Send as `exec-oob`; only allowed when 'oob' was negotiated. */
  readonly oob?: boolean;
}

/**
 * A negotiated QMP connection.
 *
 * Create it with `QmpClient.connect`; subscribe to events right after it resolves (events that
 * arrive in the same chunk as the negotiation reply are held until the next macrotask for this).
 */
export class QmpClient {
  /** Where this client is connected. */
  public readonly target: QmpTarget;
  private greetingSeen: QmpGreeting = { version: { qemu: { major: 0, minor: 0, micro: 0 }, package: '' }, capabilities: [] };
  private capabilitiesEnabled: readonly string[] = [];
  private currentState: ClientState = { phase: 'connecting' };
  private readonly options: QmpClientOptions;
  private readonly socket: Socket;
  private readonly framer: QmpFramer;
  private readonly writer: BatchedWriter;
  private readonly pending = new PendingCommands();
  // Plain integers, unique per connection (0 is negotiation): every command on this socket is
  // ours, and QEMU answers integer ids faster than strings.
  private nextId = 1;
  private readonly events = new Listeners<QmpEvent>();
  private readonly states = new Listeners<ClientState>();
  private readonly unmatched = new Listeners<JsonObject>();
  private readonly closes = new Listeners<QmpError>();
  private handshake: { resolve: () => void; reject: (error: QmpError) => void; timer: ReturnType<typeof setTimeout> } | undefined;
  private held: JsonObject[] | undefined;
  /** Events that came before the handshake ended; delivered first once it has. */
  private early: JsonObject[] = [];
  private socketError: NodeJS.ErrnoException | undefined;
  private finalError: QmpError | undefined;
  private readonly socketClosed: Promise<void>;
  private lateReplies = 0;
  private readonly wireIn: WireSplitter | undefined;
  private unmatchedReplies = 0;
  /** Commands relayed for shared clients (`forward`), by our id; they share `nextId` with ours. */
  private readonly forwarded = new Map<number, (reply: JsonObject | QmpError) => void>();

  private constructor(target: QmpTarget, socket: Socket, options: QmpClientOptions) {
    this.target = target;
    this.socket = socket;
    this.options = options;
    this.framer = new QmpFramer(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {});
    this.writer = new BatchedWriter(socket);
    const tap = options.onWire;
    this.wireIn = tap ? new WireSplitter((text) => tap('in', text, Date.now())) : undefined;
    if (options.onStateChange) this.states.add(options.onStateChange);
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay?.(true);
    socket.on('data', this.onData);
    socket.on('end', () => this.finish({ kind: 'eof', dropped: this.framer.end(this.onMessage) }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketError = error;
      this.finish({ kind: 'error', error, dropped: this.framer.end(this.onMessage) });
    });
    socket.on('close', () => this.finish({ kind: 'error', error: this.socketError, dropped: 0 }));
  }

  /**
   * Connects, reads the greeting and negotiates capabilities.
   *
   * Resolves only when commands may be sent; rejects with a QmpError subclass whose message
   * says which step failed and why.
   */
  public static async connect(target: QmpTarget, options: QmpClientOptions = {}): Promise<QmpClient> {
    options.onStateChange?.({ phase: 'connecting' });
    const socket = await openSocket(target, options.connectTimeoutMs ?? 5000, options.signal).catch((error: QmpError) => {
      options.onStateChange?.({ phase: 'failed', reason: error.message, error });
      throw error;
    });
    const client = new QmpClient(target, socket, options);
    const signal = options.signal;
    const onAbort = (): void => client.finish({ kind: 'fatal', error: new QmpAbortError(`connecting to ${formatTarget(target)} was cancelled`) });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await client.negotiate();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return client;
  }

  /** Version and offered capabilities, as QEMU greeted us. */
  public get greeting(): QmpGreeting {
    return this.greetingSeen;
  }

  /** What `qmp_capabilities` enabled ('oob' when offered and not disabled). */
  public get enabledCapabilities(): readonly string[] {
    return this.capabilitiesEnabled;
  }

  /** Current phase, with the reason once closed or failed. */
  public get state(): ClientState {
    return this.currentState;
  }

  /** Replies that matched no waiting command (foreign ids; id-less errors while nothing waited). */
  public get unmatchedReplyCount(): number {
    return this.unmatchedReplies;
  }

  /** Replies that came after their command timed out or was aborted (dropped quietly). */
  public get lateReplyCount(): number {
    return this.lateReplies;
  }

  /** Commands waiting for a reply. */
  public get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Runs a command and resolves with its `return` value.
   *
   * Never throws synchronously: a closed client, a disallowed `oob` or bad arguments reject
   * without writing anything.
   */
  public execute<T = JsonValue>(command: string, args?: JsonObject, options?: ExecuteOptions): Promise<T> {
    if (this.currentState.phase !== 'ready') return Promise.reject(this.notReadyError(command));
    if (typeof command !== 'string' || command === '') {
      const got = typeof command === 'string' ? 'an empty string' : typeof command;
      return Promise.reject(new QmpProtocolError(`a command name must be a non-empty string (got ${got})`));
    }
    const oob = options?.oob === true;
    if (oob && !this.enabledCapabilities.includes('oob')) {
      const why = this.greeting.capabilities.includes('oob') ? 'QEMU offered it but enableOob was false' : 'QEMU did not offer it';
      return Promise.reject(new QmpProtocolError(`cannot run ${command} out of band: the 'oob' capability was not negotiated (${why})`));
    }
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      return Promise.reject(new QmpProtocolError(`arguments of ${command} must be a JSON object`));
    }
    if (options?.signal?.aborted) return Promise.reject(new QmpAbortError(`${command} aborted by the caller before it was sent`));
    const id = this.nextId++;
    let line: string;
    try {
      line = encodeCommand(command, id, args, oob);
    } catch (error) {
      if (error instanceof QmpError) return Promise.reject(error);
      return Promise.reject(new QmpProtocolError(`cannot encode the arguments of ${command}: ${(error as Error).message}`));
    }
    const promise = this.pending.add<T>(id, command, options?.timeoutMs ?? this.options.defaultTimeoutMs, options?.signal);
    this.sendLine(line);
    return promise;
  }

  /**
   * Relays a command for someone else (a shared client) and hands back QEMU's whole reply.
   *
   * The id comes from this connection's own counter, so relayed commands can never collide
   * with the app's or each other's; `onReply` gets the parsed reply (`return` or `error`, ids
   * and bigints intact) or, if the connection ends first, the reason. Returns an error instead
   * of sending when the client is not ready or the text cannot be encoded.
   */
  public forward(command: string, args: JsonObject | undefined, oob: boolean, onReply: (reply: JsonObject | QmpError) => void): QmpError | undefined {
    if (this.currentState.phase !== 'ready') return this.notReadyError(command);
    if (oob && !this.enabledCapabilities.includes('oob')) return new QmpProtocolError(`cannot relay ${command} out of band: 'oob' was not negotiated`);
    const id = this.nextId++;
    let line: string;
    try {
      line = encodeCommand(command, id, args, oob);
    } catch (error) {
      return error instanceof QmpError ? error : new QmpProtocolError(`cannot encode the arguments of ${command}: ${(error as Error).message}`);
    }
    this.forwarded.set(id, onReply);
    this.sendLine(line);
    return undefined;
  }

  /** Commands relayed with `forward` still waiting for QEMU. */
  public get forwardedCount(): number {
    return this.forwarded.size;
  }

  /** Subscribes to events, in wire order, each delivered before any later reply resolves. */
  public onEvent(listener: (event: QmpEvent) => void): () => void {
    return this.events.add(listener);
  }

  /** Subscribes to phase changes. */
  public onStateChange(listener: (state: ClientState) => void): () => void {
    return this.states.add(listener);
  }

  /** Subscribes to replies that match no pending command (not an error of the connection). */
  public onUnmatchedReply(listener: (message: JsonObject) => void): () => void {
    return this.unmatched.add(listener);
  }

  /** Subscribes to the end of the connection; called once with the reason. */
  public onClose(listener: (error: QmpError) => void): () => void {
    if (this.finalError) {
      const error = this.finalError;
      queueMicrotask(() => listener(error));
      return () => undefined;
    }
    return this.closes.add(listener);
  }

  /** Closes the connection; pending commands reject with QmpClosedError. Resolves when the socket is gone. */
  public async close(): Promise<void> {
    this.finish({ kind: 'client' });
    await this.socketClosed;
  }

  private negotiate(): Promise<void> {
    this.setState({ phase: 'greeting' });
    const timeoutMs = this.options.greetingTimeoutMs ?? 5000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.onHandshakeTimeout(timeoutMs), timeoutMs);
      this.handshake = { resolve, reject, timer };
    });
  }

  private onHandshakeTimeout(timeoutMs: number): void {
    const where = formatTarget(this.target);
    const message =
      this.currentState.phase === 'greeting'
        ? `no QMP greeting from ${where} within ${timeoutMs} ms; another client may hold the monitor ` +
          '(QEMU serves one client per monitor and queues the next one silently)'
        : `QEMU at ${where} did not answer qmp_capabilities within ${timeoutMs} ms`;
    this.finish({ kind: 'fatal', error: new QmpTimeoutError(message) });
  }

  private readonly onData = (chunk: Buffer): void => {
    processReadTurns.chunkStarted();
    this.wireIn?.push(chunk);
    try {
      this.framer.push(chunk, this.onMessage);
    } catch (error) {
      const protocolError = error instanceof QmpError ? error : new QmpProtocolError(String(error), { cause: error });
      this.finish({ kind: 'protocol', error: protocolError });
    }
    // A flood must not hold the loop: past this turn's input budget, wait for the next turn.
    processReadTurns.chunkDone(this.socket);
  };

  private readonly onMessage = (message: JsonObject): void => {
    if (this.finalError) return;
    if (this.held) this.held.push(message);
    else if (this.currentState.phase === 'ready') this.dispatch(message);
    else {
      // Handled here rather than thrown through the framer, whose error handling is its own.
      try {
        this.onHandshakeMessage(message);
      } catch (error) {
        const failure = error instanceof QmpError ? error : new QmpProtocolError(String(error), { cause: error });
        this.finish({ kind: 'fatal', error: failure });
      }
    }
  };

  private dispatch(message: JsonObject): void {
    if (typeof message['event'] === 'string') {
      this.events.emit(toEvent(message));
      return;
    }
    if (this.forwarded.size > 0 && typeof message['id'] === 'number') {
      const relay = this.forwarded.get(message['id']);
      if (relay) {
        this.forwarded.delete(message['id']);
        relay(message);
        return;
      }
    }
    let match;
    const returned = message['return'];
    if (returned !== undefined) match = this.pending.resolve(message['id'], returned);
    else if (message['error'] !== undefined) {
      const error = toCommandError(message['error']);
      match = Object.hasOwn(message, 'id') ? this.pending.reject(message['id'], error) : this.pending.rejectUnaddressed(error, unaddressedError(error));
    } else match = 'unknown';
    if (match === 'late') this.lateReplies++;
    else if (match === 'unknown') {
      this.unmatchedReplies++;
      this.unmatched.emit(message);
    }
  }

  private onHandshakeMessage(message: JsonObject): void {
    if (typeof message['event'] === 'string') {
      // QEMU 7.2 can write an event a client's connection is already open to before it writes
      // the greeting (seen: RESUME at start-up, on the very first connection). It is the VM's
      // own news, so it is kept and delivered, in order, once the connection is ready.
      if (this.early.length >= MAX_EARLY_EVENTS) {
        throw new QmpProtocolError(`the peer sent over ${MAX_EARLY_EVENTS} events before finishing the QMP handshake`);
      }
      this.early.push(message);
      return;
    }
    if (this.currentState.phase === 'greeting') {
      this.greetingSeen = parseGreeting(message);
      const wanted = this.options.enableOob !== false && this.greetingSeen.capabilities.includes('oob') ? ['oob'] : [];
      this.capabilitiesEnabled = wanted;
      this.setState({ phase: 'negotiating' });
      const args = wanted.length > 0 ? `,"arguments":{"enable":["oob"]}` : '';
      this.sendLine(`{"execute":"qmp_capabilities","id":0${args}}\n`);
      return;
    }
    if (message['id'] !== 0) return; // stray replies before negotiation carry nothing we need
    const error = message['error'];
    if (error !== undefined) {
      const refusal = toCommandError(error);
      throw new QmpProtocolError(`QEMU refused capability negotiation (qmp_capabilities): ${refusal.message}`, { cause: refusal });
    }
    this.held = this.early;
    this.early = [];
    this.setState({ phase: 'ready' });
    const handshake = this.handshake;
    this.handshake = undefined;
    if (handshake) {
      clearTimeout(handshake.timer);
      handshake.resolve();
    }
    setImmediate(this.releaseHeld);
  }

  private readonly releaseHeld = (): void => {
    const held = this.held ?? [];
    this.held = undefined;
    for (const message of held) if (!this.finalError) this.dispatch(message);
  };

  private finish(cause: EndCause): void {
    if (this.finalError) return;
    const { error, phase } = closeErrorFor(cause, this.target, this.currentState.phase);
    this.finalError = error;
    this.wireIn?.end();
    this.pending.failAll((command) => describeEnd(cause, error, command));
    const relays = [...this.forwarded.values()];
    this.forwarded.clear();
    for (const relay of relays) relay(error);
    this.writer.discard();
    if (!this.socket.destroyed) this.socket.destroy();
    const handshake = this.handshake;
    this.handshake = undefined;
    if (handshake) {
      clearTimeout(handshake.timer);
      handshake.reject(error);
    }
    this.setState({ phase, reason: error.message, error });
    this.closes.emit(error);
    this.closes.clear();
  }

  /** Writes one command line, shown to the wire tap first (its time is when we queued it). */
  private sendLine(line: string): void {
    this.options.onWire?.('out', line, Date.now());
    this.writer.write(line);
  }

  private setState(state: ClientState): void {
    this.currentState = state;
    this.states.emit(state);
  }

  private notReadyError(command: string): QmpError {
    if (this.finalError instanceof QmpClosedError) return new QmpClosedError(`cannot run ${command}: the client was closed`);
    return notConnectedError(command, this.finalError?.message ?? `connection is ${this.currentState.phase}`);
  }
}

/** Words the failure of every waiting command when an id-less error could belong to any of them. */
function unaddressedError(error: QmpCommandError): (commands: readonly string[]) => QmpError {
  return (commands) =>
    new QmpProtocolError(
      `QEMU answered an error naming no command (${error.message}) while ${commands.length} commands were waiting ` +
        `(${commands.join(', ')}); it may belong to any of them, so none is trusted to get a reply`,
      { cause: error },
    );
}
