/**
 * Our exact JSON parser against the `lossless-json` package, on text that needs the exact path.
 *
 * Text without a 16-digit run goes to the native JSON.parse either way; only replies holding
 * uint64 values (block statistics, sizes, 20-digit ids) reach the hand-written parser. We
 * keep it only while it is clearly faster than the library, so this run measures both on
 * such text and reports library time ÷ ours (above 1: ours is faster).
 */
import { isInteger, isSafeNumber, parse as libraryParse } from 'lossless-json';
import { parseJsonLossless } from '../electron/common/json-text';
import { measurePair, schemaReply } from './framer-bench';
import { result } from './report';
import type { BenchResult } from './types';

/** What our parser yields, built with the library: unsafe integers as bigint, the rest numbers. */
function libraryNumber(token: string): number | bigint {
  return isInteger(token) && !isSafeNumber(token) ? BigInt(token) : Number(token);
}

/** A query-blockstats-like reply: many devices whose counters sit near 2^63 and 2^64. */
export function blockstatsReply(devices: number): string {
  const stats = (i: number): string =>
    `{"rd_bytes": ${9223372036854775807n - BigInt(i)}, "wr_bytes": ${18446744073709551615n - BigInt(i)}, ` +
    `"rd_operations": ${i * 17}, "wr_operations": ${i * 31}, "flush_total_time_ns": ${9007199254740993n + BigInt(i)}, ` +
    `"idle_time_ns": ${i * 1000}, "account_invalid": true, "timed_stats": []}`;
  const items = Array.from({ length: devices }, (_, i) => `{"device": "drive${i}", "node-name": "#block${i}", "stats": ${stats(i)}}`);
  return `{"return": [${items.join(', ')}], "id": 7}`;
}

function pair(name: string, text: string, runs: number): BenchResult {
  const ours = (): void => void parseJsonLossless(text);
  const library = (): void => void libraryParse(text, null, libraryNumber);
  // Same answer first, or the timing means nothing.
  if (JSON.stringify(parseJsonLossless(text), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) !==
    JSON.stringify(libraryParse(text, null, libraryNumber), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))) {
    throw new Error(`${name}: our parser and lossless-json disagree`);
  }
  const repeat = 5;
  const { ours: oursMs, baseline: libraryMs } = measurePair(
    () => { for (let i = 0; i < repeat; i++) ours(); },
    () => { for (let i = 0; i < repeat; i++) library(); },
    runs,
  );
  const mb = (text.length * repeat) / 1e6;
  // Throughput in MB/s, ratio = ours ÷ library = library time ÷ our time.
  return result(name, mb / (oursMs / 1000), mb / (libraryMs / 1000), 'MB/s');
}

/** Both inputs: a big-integer blockstats reply and the 207 KB schema beside a uint64. */
export function runLosslessBenchmarks(): BenchResult[] {
  const schema = schemaReply().toString('latin1');
  // The recorded reply, wrapped beside one uint64 so the whole text takes the exact path.
  const schemaWithBigInt = `{"size": 18446744073709551615, "reply": ${schema}}`;
  const results = [
    pair('lossless-parse-vs-library', blockstatsReply(1500), 15),
    pair('lossless-parse-vs-library-schema', schemaWithBigInt, 15),
  ];
  for (const r of results) console.log(`  ${r.name}: ${r.ratio}x (${r.ours} vs ${r.baseline} ${r.unit})`);
  return results;
}
