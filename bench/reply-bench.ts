/**
 * A 50 MB reply through the framer against one JSON.parse of the same bytes: speed and memory.
 *
 * Big replies (a huge `query-block` or a long HMP dump) are where a framer could waste memory
 * by copying; peak RSS is measured in fresh child processes so one run's garbage never
 * counts against the other.
 */
import { spawnSync } from 'node:child_process';
import { QmpFramer } from '../electron/core/qmp/framer';
import { chunk, measurePair } from './framer-bench';
import { result } from './report';
import type { BenchResult } from './types';

const CHUNK = 64 * 1024;
/** argv flag that turns this program into a one-shot memory probe. */
export const RSS_PROBE_FLAG = '--rss-probe';

/** A pure-ASCII `{"return": [...]}` of at least `bytes` bytes, like a large query reply. */
export function bigReply(bytes: number): Buffer {
  const items: string[] = [];
  let size = 14;
  for (let i = 0; size < bytes; i++) {
    const item = `{"node-name": "#block${i}", "drv": "qcow2", "offset": ${i * 65536}, "flags": ["ro", "cache"], "ok": true}`;
    items.push(item);
    size += item.length + 2;
  }
  return Buffer.from(`{"return": [${items.join(', ')}]}\r\n`);
}

function viaFramer(reply: Buffer): () => void {
  const chunks = chunk(reply, CHUNK);
  return () => {
    const framer = new QmpFramer();
    let seen = 0;
    for (const c of chunks) framer.push(c, () => seen++);
    if (seen !== 1) throw new Error(`framer gave ${seen} messages for one reply`);
  };
}

function viaJsonParse(reply: Buffer): () => void {
  return () => {
    if (JSON.parse(reply.toString('utf8')) === null) throw new Error('unreachable');
  };
}

/**
 * Child-process side of the memory probe: builds the reply, handles it once, prints maxRSS.
 *
 * Returns true when this process was started as a probe (the caller must then exit).
 */
export function runRssProbeIfAsked(argv: readonly string[]): boolean {
  const at = argv.indexOf(RSS_PROBE_FLAG);
  if (at === -1) return false;
  const reply = bigReply(50_000_000);
  (argv[at + 1] === 'framer' ? viaFramer(reply) : viaJsonParse(reply))();
  process.stdout.write(`${process.resourceUsage().maxRSS / 1024}\n`);
  return true;
}

function peakRssMb(kind: 'framer' | 'json-parse'): number {
  const child = spawnSync(process.execPath, [process.argv[1]!, RSS_PROBE_FLAG, kind], { encoding: 'utf8' });
  const value = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(value)) throw new Error(`rss probe failed: ${child.stderr}`);
  return value;
}

/** Runs `reply-50mb` (MB/s) and `reply-50mb-peak-rss` (MB, ratio baseline ÷ ours). */
export function runReplyBenchmarks(): BenchResult[] {
  const reply = bigReply(50_000_000);
  const megabytes = reply.length / 1e6;
  const times = measurePair(viaFramer(reply), viaJsonParse(reply), 5, 1);
  const speed = result('reply-50mb', megabytes / (times.ours / 1000), megabytes / (times.baseline / 1000), 'MB/s');
  const memory = result('reply-50mb-peak-rss', peakRssMb('framer'), peakRssMb('json-parse'), 'MB peak RSS', false);
  for (const r of [speed, memory]) console.log(`  ${r.name}: ${r.ratio.toFixed(2)}x (${r.ours} vs ${r.baseline} ${r.unit})`);
  return [speed, memory];
}
