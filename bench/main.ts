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
import { mergeResults, printTable, readResults, writeResults } from './report';
import { runReplyBenchmarks, runRssProbeIfAsked } from './reply-bench';
import { runRttBenchmarks } from './rtt-bench';
import { runDetailsSamplingBenchmarks } from './details-sampling';
import { runShareBenchmarks } from './share-bench';
import { runTimelineFilterBenchmarks } from './timeline-filter';
import { runTimelineFloodBenchmarks } from './timeline-flood';
import { runTimelineIntakeBenchmarks } from './timeline-intake';
import { runConsoleBenchmarks } from './console-bench';
import { runJournalBenchmarks } from './journal-bench';
import type { BenchResult } from './types';

/** Exposes `gc()` without a command-line flag, so runs can start from a clean heap. */
function exposeGc(): void {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function') return;
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc') as unknown;
}

/** The bench areas in run order; `--only NAME[,NAME]` runs a subset and keeps the other entries. */
const AREAS: ReadonlyArray<readonly [name: string, title: string, run: () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['framer', 'framer:', runFramerBenchmarks],
  ['lossless', 'exact JSON (big integers):', runLosslessBenchmarks],
  ['reply', 'big reply:', runReplyBenchmarks],
  ['filter', 'timeline filter (1,000,000 events):', runTimelineFilterBenchmarks],
  ['console', 'console reply (Chromium):', runConsoleBenchmarks],
  ['rtt', 'round trips:', runRttBenchmarks],
  ['share', 'shared endpoint (multiplexer vs QEMU directly; fan-out from a fake upstream):', runShareBenchmarks],
  ['intake', 'core intake (1,000,000 events from 10 fake peers into npm run web, no page):', runTimelineIntakeBenchmarks],
  ['timeline', 'timeline in Chromium (1,000,000 events from 10 fake peers through npm run web):', runTimelineFloodBenchmarks],
  ['journal', 'event journal (1,000,000 events at 100,000/s; start-up with it full):', runJournalBenchmarks],
  ['sampling', 'live-chart sampling (20 real QEMUs at 1 s for 60 s; RTT of query-status with and without):', runDetailsSamplingBenchmarks],
];

/** The areas `--only a,b` names (all when absent); an unknown name is an error, not a silent no-op. */
function selectedAreas(argv: readonly string[]): typeof AREAS {
  const at = argv.indexOf('--only');
  if (at < 0) return AREAS;
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !AREAS.some(([area]) => area === name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of: ${AREAS.map(([area]) => area).join(', ')}`);
  }
  return AREAS.filter(([area]) => names.includes(area));
}

async function main(): Promise<void> {
  if (runRssProbeIfAsked(process.argv)) return;
  exposeGc();
  const areas = selectedAreas(process.argv);
  const results: BenchResult[] = [];
  for (const [, title, run] of areas) {
    console.log(title);
    results.push(...(await run()));
  }
  console.log('');
  printTable(results);
  const partial = areas.length < AREAS.length;
  console.log(`\nwrote ${writeResults(partial ? mergeResults(readResults(), results) : results)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
