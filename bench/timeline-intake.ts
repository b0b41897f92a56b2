/**
 * The core's intake alone: how fast the `npm run web` server reads a 100,000 events/s flood.
 *
 * The timeline flood (timeline-flood.ts) measures the whole way to the page, so a slow intake
 * there looks like a slow page. Here no page is open: ten fake QMP peers at 10,000 events/s
 * each for 10 s feed the real server (journal on, as shipped), and the figure is when the
 * server had logged every event, read from the server itself (the bridge's `getEvents`
 * `lastSeq`, asked over short-lived connections so no page stays subscribed to pushes), never
 * from the peers' drain, which only says the kernel took the bytes. Its CPU comes from /proc.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { assertBuilt, makeBenchDir, withDeadline, startBenchWebServer, type BenchWebServer } from './bench-processes';
import { FloodPeer } from './flood-peer';
import { cpuSeconds } from './proc-stats';
import { result } from './report';
import type { BenchResult } from './types';
import { readBridgeMessage } from '../electron/common/compact-events';

/** The flood's shape: the ten peers at 10,000 events/s for 10 s. */
export interface IntakeOptions {
  readonly peers: number;
  readonly perSecond: number;
  readonly seconds: number;
  /** More `npm run web` arguments (e.g. `--no-journal`, to see what the journal costs). */
  readonly serverArgs: readonly string[];
}

const DEFAULTS: IntakeOptions = { peers: 10, perSecond: 10_000, seconds: 10, serverArgs: [] };

/** How often the server is asked how far it got. */
const POLL_MS = 100;
/** How long after the flood the server may take to read it all before we report what it read. */
const CATCH_UP_DEADLINE_MS = 120_000;
/** A bridge request that takes longer than this is a failed run, not a slow one. */
const REQUEST_TIMEOUT_MS = 60_000;
/** The CPU per event the rate needs on this 2-core machine, µs (the lead's target). */
const CPU_TARGET_US = 8;


/** The newest seq the server's event log holds (events and the app's markers alike). */
async function readLastSeq(server: BenchWebServer): Promise<number> {
  const url = new URL(server.url);
  const bridge = `ws://${url.host}/bridge?token=${url.searchParams.get('token') ?? ''}`;
  const ws = new WebSocket(bridge, { origin: `http://${url.host}` });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no getEvents answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ t: 'req', id: 1, method: 'getEvents', params: { afterSeq: -1, limit: 1, newest: true } })));
      ws.on('message', (data: Buffer, isBinary) => {
        const message = readBridgeMessage(data, isBinary) as { t?: string; id?: unknown; ok?: boolean; result?: { lastSeq?: number }; error?: string };
        if (message.t !== 'res' || message.id !== 1) return;
        clearTimeout(timer);
        if (message.ok && typeof message.result?.lastSeq === 'number') resolve(message.result.lastSeq);
        else reject(new Error(`getEvents failed: ${message.error ?? 'no lastSeq'}`));
      });
    });
  } finally {
    ws.close();
  }
}

/**
 * Polls until the log's seq reaches `target` or `deadline()` (a performance.now() time, which
 * may move) passes; resolves with when that was and the seq seen.
 */
async function whenLogged(server: BenchWebServer, target: number, deadline: () => number): Promise<{ at: number; seq: number }> {
  for (;;) {
    const seq = await readLastSeq(server);
    const at = performance.now();
    if (seq >= target || at > deadline()) return { at, seq };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One flood into a running server; prints the figures and returns the entries. */
async function measure(server: BenchWebServer, peers: readonly FloodPeer[], options: IntakeOptions): Promise<BenchResult[]> {
  const perPeer = options.perSecond * options.seconds;
  const sent = perPeer * options.peers;
  const rate = options.perSecond * options.peers;
  // Markers (connected) are in the log too: count from the seq before the flood.
  const before = await readLastSeq(server);
  const cpuBefore = cpuSeconds(server.pid);
  const started = performance.now();
  const floods = peers.map((peer) => peer.flood(perPeer, options.perSecond));
  let deadline = Number.POSITIVE_INFINITY;
  const logged = whenLogged(server, before + sent, () => deadline);
  await Promise.all(floods.map((flood) => flood.generated));
  const writtenAt = performance.now();
  deadline = writtenAt + CATCH_UP_DEADLINE_MS;
  const done = await logged;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const read = Math.min(sent, done.seq - before);
  const seconds = (done.at - started) / 1000;
  const perSecond = read / seconds;
  const cpuUs = (cpu * 1e6) / Math.max(1, read);
  console.log(
    `  ${sent.toLocaleString('en-US')} events written in ${((writtenAt - started) / 1000).toFixed(1)} s; the server logged ${read.toLocaleString('en-US')} ` +
      `within ${seconds.toFixed(1)} s (${(done.at - writtenAt).toFixed(0)} ms after the last was written): ${Math.round(perSecond).toLocaleString('en-US')} events/s`,
  );
  console.log(`  server CPU ${cpu.toFixed(1)} s (${((cpu / seconds) * 100).toFixed(0)} % of a core): ${cpuUs.toFixed(1)} µs per event`);
  return [
    result('timeline-intake-events-per-s', perSecond, rate, 'events/s logged by the server (÷ the flood rate)', true),
    result('timeline-intake-cpu-us-per-event', cpuUs, CPU_TARGET_US, 'µs server CPU per event (target ÷ ours)', false),
  ];
}

/** Runs the intake flood (default: the shape) and returns its entries; removes all it made. */
export async function runTimelineIntakeBenchmarks(overrides: Partial<IntakeOptions> = {}): Promise<BenchResult[]> {
  const options = { ...DEFAULTS, ...overrides };
  assertBuilt();
  const root = makeBenchDir('qmp-bench-intake-');
  const peers: FloodPeer[] = [];
  let server: BenchWebServer | undefined;
  try {
    for (let index = 0; index < options.peers; index++) peers.push(await FloodPeer.start(join(root, `vm${index}.sock`), `flood-${index}`));
    server = await startBenchWebServer(['--data-dir', join(root, 'data'), ...options.serverArgs, ...peers.flatMap((peer) => ['--connect', peer.socketPath])]);
    await withDeadline(Promise.all(peers.map((peer) => peer.whenReady())), REQUEST_TIMEOUT_MS, 'the web server did not connect to every fake peer');
    return await measure(server, peers, options);
  } finally {
    await server?.stop();
    await Promise.all(peers.map((peer) => peer.close()));
    rmSync(root, { recursive: true, force: true });
  }
}
