/**
 * `npm run bench`: measures our QMP hot paths against baselines in one process and writes
 * `bench/results.json`.
 *
 * Only ratios measured side by side in one run mean anything (machines differ, and this one
 * is shared), so every entry pairs ours with its baseline. Tests never assert timings.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runFramerBenchmarks } from './framer-bench';
import { runLosslessBenchmarks } from './lossless-bench';
import { printTable, writeResults } from './report';
import { runReplyBenchmarks, runRssProbeIfAsked } from './reply-bench';
import { runRttBenchmarks } from './rtt-bench';
import { runDetailsSamplingBenchmarks } from './details-sampling';
import { runShareBenchmarks } from './share-bench';
import { runTimelineFilterBenchmarks } from './timeline-filter';
import { runTimelineFloodBenchmarks } from './timeline-flood';
import { runConsoleBenchmarks } from './console-bench';
import type { BenchResult } from './types';

/** Exposes `gc()` without a command-line flag, so runs can start from a clean heap. */
function exposeGc(): void {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') return;
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc') as unknown;
}

async function main(): Promise<void> {
  if (runRssProbeIfAsked(process.argv)) return;
  exposeGc();
  const results: BenchResult[] = [];
  console.log('framer:');
  results.push(...runFramerBenchmarks());
  console.log('exact JSON (big integers):');
  results.push(...runLosslessBenchmarks());
  console.log('big reply:');
  results.push(...runReplyBenchmarks());
  console.log('timeline filter (1,000,000 events):');
  results.push(...runTimelineFilterBenchmarks());
  console.log('console reply (Chromium):');
  results.push(...(await runConsoleBenchmarks()));
  console.log('round trips:');
  results.push(...(await runRttBenchmarks()));
  console.log('shared endpoint (multiplexer vs QEMU directly; fan-out from a fake upstream):');
  results.push(...(await runShareBenchmarks()));
  console.log('timeline in Chromium (1,000,000 events from 10 fake peers through npm run web):');
  results.push(...(await runTimelineFloodBenchmarks()));
  console.log('live-chart sampling (20 real QEMUs at 1 s for 60 s; RTT of query-status with and without):');
  results.push(...(await runDetailsSamplingBenchmarks()));
  console.log('');
  printTable(results);
  console.log(`\nwrote ${writeResults(results)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
