/**
 * Framer throughput against "the limit": JSON.parse of messages that are already split.
 *
 * A framer can never beat parsing pre-split messages, since it must also find where they end;
 * the ratio says how close to that limit it gets. Inputs are real QEMU output (the
 * query-qmp-schema reply from the transcripts) and a flood of event-shaped messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QmpFramer } from '../electron/core/qmp/framer';
import type { JsonObject } from '../electron/common/json-text';
import { result } from './report';
import type { BenchResult } from './types';

const CHUNK = 64 * 1024;

/**
 * Times `ours` and `baseline` in adjacent pairs after warm-up; returns the pair whose ratio is
 * the median of all pairs.
 *
 * Time is this process's CPU time (user + system), not wall time: being descheduled is not a
 * cost of the code under test. The machine is a shared VM whose speed drifts by a third within
 * seconds, so the two sides of a ratio are measured back to back (which one goes first swaps
 * every pair) and the median pair is kept: the best of each side alone could pair a quiet
 * moment of one with a busy moment of the other.
 */
export function measurePair(ours: () => void, baseline: () => void, runs: number, warmups = 3): { ours: number; baseline: number } {
  for (let i = 0; i < warmups; i++) {
    ours();
    baseline();
  }
  const pairs: Array<{ ours: number; baseline: number }> = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      const oursMs = timed(ours);
      pairs.push({ ours: oursMs, baseline: timed(baseline) });
    } else {
      const baselineMs = timed(baseline);
      pairs.push({ ours: timed(ours), baseline: baselineMs });
    }
  }
  pairs.sort((a, b) => a.baseline / a.ours - b.baseline / b.ours);
  return pairs[Math.floor(pairs.length / 2)]!;
}

function timed(run: () => void): number {
  collectGarbage();
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Starts each timed run with a clean heap, so one run's garbage is not billed to the next. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Seeded PRNG (mulberry32) so every run cuts the stream the same way. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts a stream into chunks of `size` bytes, or of random sizes from `size()`. */
export function chunk(stream: Buffer, size: number | (() => number)): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; ) {
    const length = typeof size === 'number' ? size : size();
    chunks.push(stream.subarray(i, i + length));
    i += length;
  }
  return chunks;
}

/**
 * The bytes QEMU sent in a recorded transcript, found from the repo root (npm's working folder).
 *
 * Read here rather than through test/support, whose path is relative to its own source file
 * and so points outside the repo once the bench is bundled into out/node.
 */
function recvChunks(name: string): Buffer[] {
  const text = readFileSync(join(process.cwd(), 'test', 'fixtures', 'qmp', 'transcripts', `${name}.jsonl`), 'utf8');
  const records = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  return records
    .filter((r) => r['dir'] === 'recv')
    .map((r) => (typeof r['data_b64'] === 'string' ? Buffer.from(r['data_b64'], 'base64') : Buffer.from(typeof r['data'] === 'string' ? r['data'] : '', 'utf8')));
}

/** The compact query-qmp-schema reply exactly as QEMU sent it (without the CRLF). */
export function schemaReply(): Buffer {
  const bytes = Buffer.concat(recvChunks('schema'));
  // Compact QMP output never holds a raw newline, so lines are messages here.
  const lines = bytes.toString('latin1').split('\r\n');
  const longest = lines.reduce((a, b) => (b.length > a.length ? b : a));
  return Buffer.from(longest, 'latin1');
}

/** Re-serialises a message the way `pretty=on` does: 4-space indent, CRLF line ends. */
function prettyLikeQemu(message: Buffer): Buffer {
  return Buffer.from(JSON.stringify(JSON.parse(message.toString('utf8')), null, 4).replace(/\n/g, '\r\n'));
}

/** About 111 bytes on average: run-state events and job events, as a busy VM sends them. */
function eventMessages(count: number): Buffer[] {
  const messages: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const stamp = `{"seconds": ${1795619280 + Math.floor(i / 1000)}, "microseconds": ${(i * 7919) % 1_000_000}}`;
    const text =
      i % 2 === 0
        ? `{"timestamp": ${stamp}, "event": "${i % 4 === 0 ? 'STOP' : 'RESUME'}"}`
        : `{"timestamp": ${stamp}, "event": "JOB_STATUS_CHANGE", "data": {"status": "running", "id": "job${i % 10}"}}`;
    messages.push(Buffer.from(text));
  }
  return messages;
}

/** Joins messages QEMU-style, each followed by CRLF. */
function wire(messages: readonly Buffer[]): Buffer {
  const crlf = Buffer.from('\r\n');
  return Buffer.concat(messages.flatMap((m) => [m, crlf]));
}

function framerRun(chunks: readonly Buffer[], expected: number): () => void {
  return () => {
    const framer = new QmpFramer();
    let seen = 0;
    const onMessage = (message: JsonObject): void => {
      if (message !== null) seen++;
    };
    for (const c of chunks) framer.push(c, onMessage);
    if (seen !== expected) throw new Error(`framer gave ${seen} messages, expected ${expected}`);
  };
}

function jsonParseRun(messages: readonly Buffer[]): () => void {
  return () => {
    let seen = 0;
    for (const message of messages) if (JSON.parse(message.toString('utf8')) !== null) seen++;
    if (seen !== messages.length) throw new Error('baseline lost messages');
  };
}

function throughput(name: string, messages: readonly Buffer[], chunks: readonly Buffer[], runs: number): BenchResult {
  const megabytes = chunks.reduce((sum, c) => sum + c.length, 0) / 1e6;
  const times = measurePair(framerRun(chunks, messages.length), jsonParseRun(messages), runs);
  return result(name, megabytes / (times.ours / 1000), megabytes / (times.baseline / 1000), 'MB/s');
}

/** Runs the four framer benchmarks; each logs a line as it finishes. */
export function runFramerBenchmarks(): BenchResult[] {
  const results: BenchResult[] = [];
  const report = (r: BenchResult): void => {
    results.push(r);
    console.log(`  ${r.name}: ${r.ratio.toFixed(2)}x (${r.ours} vs ${r.baseline} ${r.unit})`);
  };
  const schema = schemaReply();
  const compact = Array.from({ length: 60 }, () => schema);
  report(throughput('framer-schema-compact', compact, chunk(wire(compact), CHUNK), 15));
  const prettySchema = prettyLikeQemu(schema);
  const pretty = Array.from({ length: 40 }, () => prettySchema);
  report(throughput('framer-schema-pretty', pretty, chunk(wire(pretty), CHUNK), 15));
  const events = eventMessages(1_000_000);
  const stream = wire(events);
  report(throughput('framer-events', events, chunk(stream, CHUNK), 9));
  const random = seededRandom(2024);
  report(throughput('framer-events-small-chunks', events, chunk(stream, () => 1 + Math.floor(random() * 512)), 9));
  return results;
}
