/**
 * Samples one VM for the live charts: block I/O, guest memory, balloon and, for a QEMU on this
 * host, its process CPU, RSS and per-vCPU CPU.
 *
 * Reads go straight through the QMP client, not `VmSession.execute`, so they add no timeline
 * markers. One sample is in flight at a time: a tick that finds the previous one unanswered is
 * skipped and counted, so a slow QEMU gets fewer samples instead of a queue of them in front of
 * the user's commands. A disconnect or a pause in watching records a gap (the chart's line
 * breaks there), and the counters seen before it are forgotten, so the first rate after a gap
 * is null instead of a spike covering the whole gap.
 *
 * What QEMU announces by event is read once and then kept current from the events: the
 * balloon from BALLOON_CHANGE, guest memory re-read after DEVICE_ADDED, DEVICE_DELETED or
 * MEMORY_DEVICE_SIZE_CHANGE. So a sample is one QMP command (query-blockstats) and a few /proc
 * reads, which keeps 20 VMs at 1 s within the 2 % of one core.
 */
import type { BlockSample, Sample, SampleSources, SamplesPage } from '../../common/samples';
import { DEFAULT_SAMPLE_INTERVAL_MS, SAMPLE_HISTORY_MS } from '../../common/samples';
import type { JsonValue } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import { QmpCommandError } from '../qmp/errors';
import type { ClientChange } from '../vm/vm-session';
import { counterRate } from './counter-rate';
import { findLocalQemu } from './local-qemu';
import { clockTicksPerSecond, readCpuTicks, readRssBytes } from './proc-stats';

/** What the sampler needs of a VM session. */
export interface SampledVm {
  readonly client: QmpClient | undefined;
  onClientChange(listener: (change: ClientChange) => void): () => void;
}

/** Longest a sample's QMP reads may take before the sample counts as failed. */
const SAMPLE_TIMEOUT_MS = 30_000;

interface Counters {
  readonly at: number;
  readonly blocks: ReadonlyMap<string, readonly [number, number, number, number]>;
  readonly cpuTicks: number | undefined;
  readonly vcpuTicks: ReadonlyMap<number, number | undefined>;
}

interface Connection {
  readonly client: QmpClient;
  readonly stopEvents: () => void;
  /** vCPU index → host thread id, from query-cpus-fast. */
  threads: ReadonlyArray<{ readonly index: number; readonly tid: number }>;
  pid: number | undefined;
  probed: boolean;
  /** QEMU answers these (a QMP error turns them off for the connection). */
  balloon: boolean;
  memory: boolean;
  /** The last values read or announced; re-read when stale. */
  balloonBytes: number | null;
  memoryBytes: number | null;
  balloonStale: boolean;
  memoryStale: boolean;
}

/** Events after which guest memory (and a balloon device's presence) may have changed. */
const MEMORY_EVENTS = new Set(['DEVICE_ADDED', 'DEVICE_DELETED', 'MEMORY_DEVICE_SIZE_CHANGE']);

/** The sampler of one VM; `watch` starts or renews it, an expired lease stops it. */
export class VmSampler {
  private readonly samples: Sample[] = [];
  private seq = 0;
  private skippedTicks = 0;
  private inFlight = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private intervalMs = DEFAULT_SAMPLE_INTERVAL_MS;
  private leaseUntil = 0;
  private previous: Counters | undefined;
  private connection: Connection | undefined;
  private readonly sources: { -readonly [K in keyof SampleSources]: SampleSources[K] } = { pid: null, hostReason: null, balloonReason: null, memoryReason: null };
  private readonly unsubscribe: () => void;

  public constructor(public readonly vm: SampledVm) {
    this.unsubscribe = vm.onClientChange((change) => this.onClientChange(change));
  }

  /** Samples every `intervalMs` until `leaseMs` from now (renewed by the next call). */
  public watch(intervalMs: number, leaseMs: number): void {
    this.leaseUntil = Date.now() + leaseMs;
    if (this.timer !== undefined && intervalMs === this.intervalMs) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.intervalMs = intervalMs;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref?.();
    if (!this.inFlight) this.tick();
  }

  /** Samples after `afterSeq`, oldest first. */
  public page(afterSeq: number): SamplesPage {
    const first = this.samples.findIndex((s) => s.seq > afterSeq);
    return {
      samples: first < 0 ? [] : this.samples.slice(first),
      lastSeq: this.seq,
      skipped: this.skippedTicks,
      intervalMs: this.intervalMs,
      sources: { ...this.sources },
    };
  }

  /** Stops sampling for good. */
  public dispose(): void {
    this.stop();
    this.connection?.stopEvents();
    this.connection = undefined;
    this.unsubscribe();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (Date.now() > this.leaseUntil) {
      this.stop();
      this.gap('the charts were not shown');
      return;
    }
    if (this.inFlight) {
      this.skippedTicks += 1;
      return;
    }
    const client = this.vm.client;
    if (client === undefined) {
      this.gap('not connected');
      return;
    }
    if (this.connection?.client !== client) this.connection = this.follow(client);
    this.inFlight = true;
    void this.sample(this.connection)
      .catch((error: Error) => {
        if (this.connection?.client === client) this.gap(`a sample failed: ${error.message}`);
      })
      .finally(() => {
        this.inFlight = false;
      });
  }

  private async sample(connection: Connection): Promise<void> {
    const { client } = connection;
    const options = { timeoutMs: SAMPLE_TIMEOUT_MS };
    if (!connection.probed) await this.probe(connection);
    const started = Date.now();
    // The QMP reads go out together (one write); /proc is read at the same moment.
    const replies = Promise.all([
      client.execute('query-blockstats', undefined, options),
      connection.memory && connection.memoryStale ? client.execute('query-memory-size-summary', undefined, options).catch((error: Error) => this.unsupported(connection, 'memory', error)) : undefined,
      connection.balloon && connection.balloonStale ? client.execute('query-balloon', undefined, options).catch((error: Error) => this.unsupported(connection, 'balloon', error)) : undefined,
    ]);
    const pid = connection.pid;
    const cpuTicks = pid === undefined ? undefined : readCpuTicks(pid);
    const rss = pid === undefined ? undefined : readRssBytes(pid);
    const vcpuTicks = connection.threads.map(({ index, tid }) => [index, pid === undefined ? undefined : readCpuTicks(pid, tid)] as const);
    const [blockstats, memory, balloon] = await replies;
    if (this.connection !== connection) return;
    if (memory !== undefined) {
      [connection.memoryBytes, connection.memoryStale] = [memoryBytes(memory), false];
      this.sources.memoryReason = null;
    }
    if (balloon !== undefined) {
      [connection.balloonBytes, connection.balloonStale] = [numberField(balloon, 'actual'), false];
      this.sources.balloonReason = null;
    }
    const counters: Counters = { at: started, blocks: blockCounters(blockstats), cpuTicks, vcpuTicks: new Map(vcpuTicks) };
    const previous = this.previous;
    const ms = previous ? counters.at - previous.at : 0;
    const tickScale = 100 / clockTicksPerSecond();
    const blocks: BlockSample[] = [...counters.blocks].map(([device, now]) => {
      const before = previous?.blocks.get(device);
      return {
        device,
        readBytesPerSec: counterRate(before?.[0], now[0], ms),
        writeBytesPerSec: counterRate(before?.[1], now[1], ms),
        readOpsPerSec: counterRate(before?.[2], now[2], ms),
        writeOpsPerSec: counterRate(before?.[3], now[3], ms),
        readBytes: now[0],
        writeBytes: now[1],
        readOps: now[2],
        writeOps: now[3],
      };
    });
    this.previous = counters;
    this.push({
      at: started,
      blocks,
      cpuPercent: counterRate(previous?.cpuTicks, cpuTicks, ms, tickScale),
      rssBytes: rss ?? null,
      vcpuPercent: vcpuTicks.map(([index, ticks]) => ({ index, percent: counterRate(previous?.vcpuTicks.get(index), ticks, ms, tickScale) })),
      guestMemoryBytes: connection.memory ? connection.memoryBytes : null,
      balloonBytes: connection.balloon ? connection.balloonBytes : null,
    });
  }

  /** A new connection's state, kept current by its events until it ends. */
  private follow(client: QmpClient): Connection {
    this.connection?.stopEvents();
    this.sources.balloonReason = null;
    this.sources.memoryReason = null;
    const stopEvents = client.onEvent((event) => {
      if (event.event === 'BALLOON_CHANGE') connection.balloonBytes = numberField(event.data, 'actual');
      if (!MEMORY_EVENTS.has(event.event)) return;
      connection.memoryStale = true;
      // A balloon device may have come or gone: ask again.
      connection.balloonStale = true;
      connection.balloon = true;
    });
    const connection: Connection = { client, stopEvents, threads: [], pid: undefined, probed: false, balloon: true, memory: true, balloonBytes: null, memoryBytes: null, balloonStale: true, memoryStale: true };
    return connection;
  }

  /** Once per connection: the vCPU threads and whether QEMU runs here. */
  private async probe(connection: Connection): Promise<void> {
    const cpus = await connection.client.execute('query-cpus-fast', undefined, { timeoutMs: SAMPLE_TIMEOUT_MS }).catch(() => []);
    connection.threads = Array.isArray(cpus)
      ? cpus.flatMap((cpu) => {
          const index = numberField(cpu, 'cpu-index');
          const tid = numberField(cpu, 'thread-id');
          return index === null || tid === null ? [] : [{ index, tid }];
        })
      : [];
    const local = await findLocalQemu(connection.client.target, connection.threads.map((t) => t.tid));
    connection.probed = true;
    if (this.connection !== connection) return;
    connection.pid = 'pid' in local ? local.pid : undefined;
    if (connection.pid === undefined) connection.threads = [];
    this.sources.pid = connection.pid ?? null;
    this.sources.hostReason = 'reason' in local ? local.reason : null;
  }

  /** A QMP error means this QEMU cannot tell (no balloon, an old build): stop asking, say why. */
  private unsupported(connection: Connection, what: 'memory' | 'balloon', error: Error): undefined {
    if (!(error instanceof QmpCommandError)) throw error;
    connection[what] = false;
    if (this.connection === connection) this.sources[what === 'memory' ? 'memoryReason' : 'balloonReason'] = error.desc;
    return undefined;
  }

  private onClientChange(change: ClientChange): void {
    if (change.kind === 'lost' || change.kind === 'stopped') {
      this.connection?.stopEvents();
      this.connection = undefined;
      if (this.timer !== undefined) this.gap(`disconnected: ${change.reason}`);
    }
  }

  /** Breaks the line here; the next rate starts from fresh counters. */
  private gap(reason: string): void {
    this.previous = undefined;
    if (this.samples.length === 0 || this.samples[this.samples.length - 1]!.gap !== undefined) return;
    this.push({ at: Date.now(), gap: reason, blocks: [], cpuPercent: null, rssBytes: null, vcpuPercent: [], guestMemoryBytes: null, balloonBytes: null });
  }

  private push(sample: Omit<Sample, 'seq'>): void {
    this.seq += 1;
    this.samples.push({ seq: this.seq, ...sample });
    const oldest = sample.at - SAMPLE_HISTORY_MS;
    while (this.samples.length > 0 && this.samples[0]!.at < oldest) this.samples.shift();
  }
}

function numberField(value: JsonValue | undefined, key: string): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const field = value[key];
  return typeof field === 'number' || typeof field === 'bigint' ? Number(field) : null;
}

function memoryBytes(summary: JsonValue | undefined): number | null {
  const base = numberField(summary, 'base-memory');
  return base === null ? null : base + (numberField(summary, 'plugged-memory') ?? 0);
}

function blockCounters(blockstats: JsonValue): Map<string, readonly [number, number, number, number]> {
  const devices = new Map<string, readonly [number, number, number, number]>();
  if (!Array.isArray(blockstats)) return devices;
  for (const entry of blockstats) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const name = [entry['device'], entry['qdev'], entry['node-name']].find((n): n is string => typeof n === 'string' && n !== '');
    const stats = entry['stats'];
    if (name === undefined || devices.has(name)) continue;
    devices.set(name, [numberField(stats, 'rd_bytes') ?? 0, numberField(stats, 'wr_bytes') ?? 0, numberField(stats, 'rd_operations') ?? 0, numberField(stats, 'wr_operations') ?? 0]);
  }
  return devices;
}
