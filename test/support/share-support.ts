/**
 * Helpers for the shared-monitor tests: a raw QMP socket client and a transcript replayer.
 *
 * The raw client is deliberately not our QmpClient: shared endpoints are judged by clients
 * nobody here wrote, so tests talk bytes and read back QEMU-format lines.
 */
import { connect, type Socket } from 'node:net';
import { QmpFramer } from '../../electron/core/qmp/framer';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import { SharedMonitor } from '../../electron/core/share/shared-monitor';
import type { JsonObject } from '../../electron/common/json-text';
import type { TranscriptRecord } from './transcripts';

/** A raw socket to a QMP endpoint that collects every message it receives. */
export interface RawClient {
  readonly socket: Socket;
  /** Parsed messages in arrival order. */
  readonly messages: JsonObject[];
  /** Everything received, as text. */
  text(): string;
  send(data: string | Buffer): void;
  /** Waits until at least `count` messages arrived. */
  waitForCount(count: number, what?: string, timeoutMs?: number): Promise<void>;
  /** Waits for a message matching `match`, returns it. */
  waitFor(match: (m: JsonObject) => boolean, what: string, timeoutMs?: number): Promise<JsonObject>;
  readonly closed: Promise<void>;
  isClosed(): boolean;
  close(): void;
}

/** Connects a raw client to `unix:PATH` / `tcp:HOST:PORT` (or a bare path). */
export async function rawClient(where: string, options: { skipGuestEvents?: boolean } = {}): Promise<RawClient> {
  const target = parseTarget(where);
  const socket = target.kind === 'unix' ? connect(target.path) : connect(target.port, target.host);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const messages: JsonObject[] = [];
  const framer = new QmpFramer();
  let text = '';
  let closed = false;
  // Waiters are woken on data, not polled: transcripts hold thousands of round trips.
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    try {
      framer.push(chunk, (m) => (options.skipGuestEvents && isGuestEvent(m) ? undefined : messages.push(m)));
    } catch {
      socket.destroy();
    }
    wake();
  });
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => ((closed = true), wake(), resolve())));
  const until = (check: () => boolean, what: string, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what} (have ${messages.length} messages)`));
      }, timeoutMs);
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      };
      waiters.add(waiter);
    });
  return {
    socket,
    messages,
    text: () => text,
    send: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    waitForCount: (count, what = `${count} messages`, timeoutMs = 20_000) =>
      until(() => messages.length >= count || closed, what, timeoutMs).then(() => {
        if (messages.length < count) throw new Error(`connection closed with ${messages.length} of ${count} messages (${what})`);
      }),
    waitFor: async (match, what, timeoutMs = 20_000) => {
      await until(() => messages.some(match) || closed, what, timeoutMs);
      const found = messages.find(match);
      if (!found) throw new Error(`connection closed before ${what}`);
      return found;
    },
    closed: closedPromise,
    isClosed: () => closed,
    close: () => socket.destroy(),
  };
}

/**
 * True for events the guest caused (`"guest": true`, e.g. SeaBIOS's RESET after a powerdown):
 * they come on the guest's timing, or not at all on a loaded machine, so replays neither wait
 * for them nor compare them.
 */
export function isGuestEvent(message: JsonObject): boolean {
  const data = message['data'];
  return typeof message['event'] === 'string' && typeof data === 'object' && data !== null && !Array.isArray(data) && (data as JsonObject)['guest'] === true;
}



/**
 * Replays a transcript's client side against `where`, causally: each send waits until as
 * many messages arrived as had arrived before it in the recording (never on the clock).
 * Returns what came back once the recorded total arrived (or the peer closed).
 */
export async function replayClientSide(where: string, records: readonly TranscriptRecord[], conn = '', rewrite: (data: Buffer) => Buffer = (d) => d): Promise<RawClient> {
  const client = await rawClient(where, { skipGuestEvents: true });
  // Recorded messages so far (QEMU's side), guest events aside, counted as the records go by.
  let recorded = 0;
  const framer = new QmpFramer();
  const countRecorded = (m: JsonObject): void => {
    if (!isGuestEvent(m)) recorded++;
  };
  for (const record of records) {
    if (record.conn !== conn) continue;
    if (record.dir === 'recv') {
      framer.push(record.data, countRecorded);
      continue;
    }
    await client.waitForCount(recorded, `the replies before send at t=${record.t}`);
    if (record.eof) break; // keep the socket open until everything came back, then close
    client.send(rewrite(record.data));
  }
  await client.waitForCount(recorded, 'every recorded reply');
  return client;
}

/** An upstream QmpClient on `target` shared on a fresh endpoint; close both with `stop`. */
export interface SharedSetup {
  readonly upstream: QmpClient;
  readonly monitor: SharedMonitor;
  readonly log: string[];
  stop(): Promise<void>;
}

/** Connects to QEMU at `target` and shares it on `unixPath`. */
export async function shareTarget(target: string, unixPath: string, maxClientQueueBytes?: number): Promise<SharedSetup> {
  const log: string[] = [];
  const upstream = await QmpClient.connect(parseTarget(target));
  const monitor = new SharedMonitor({ unixPath, log: (line) => log.push(line), ...(maxClientQueueBytes ? { maxClientQueueBytes } : {}) });
  await monitor.listen();
  monitor.attach(upstream);
  return {
    upstream,
    monitor,
    log,
    stop: async () => {
      await monitor.close();
      await upstream.close();
    },
  };
}

/** Messages as text with event timestamps blanked and guest events left out, for comparing runs. */
export function withoutTimestamps(text: string): string {
  return text
    .split('\r\n')
    .filter((line) => !/^\{"timestamp": .*"guest": true/.test(line))
    .join('\r\n')
    .replace(/"timestamp": \{"seconds": \d+, "microseconds": \d+\}/g, '"timestamp": T');
}
