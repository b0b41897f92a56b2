/**
 * Prints benchmark ratios as a table and writes them to `bench/results.json`.
 *
 * The JSON file is what the lead and CI compare between runs; the table is for people.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './types';

/** Rounds to three significant decimals so the JSON stays readable and diffable. */
function round(value: number): number {
  return Number(value.toPrecision(4));
}

/** A result with its ratio computed and its numbers rounded. */
export function result(name: string, ours: number, baseline: number, unit: string, higherIsBetter = true): BenchResult {
  const ratio = higherIsBetter ? ours / baseline : baseline / ours;
  return { name, ours: round(ours), baseline: round(baseline), unit, ratio: round(ratio) };
}

/** Prints an aligned table: name, ours, baseline, unit, ratio. */
export function printTable(results: readonly BenchResult[]): void {
  const rows = [
    ['benchmark', 'ours', 'baseline', 'unit', 'ratio'],
    ...results.map((r) => [r.name, String(r.ours), String(r.baseline), r.unit, `${r.ratio.toFixed(2)}x`]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column === 0 || column === 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

/** Writes `bench/results.json` (relative to the working directory, the repo root under npm). */
export function writeResults(results: readonly BenchResult[], file = join('bench', 'results.json')): string {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The entries of an earlier run, so a partial run (`--only`) replaces only what it measured. */
export function readResults(file = join('bench', 'results.json')): BenchResult[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult[]) : [];
}

/** Earlier entries with those of the same name replaced in place and new names appended. */
export function mergeResults(earlier: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const byName = new Map(fresh.map((entry) => [entry.name, entry]));
  const merged = earlier.map((entry) => byName.get(entry.name) ?? entry);
  return [...merged, ...fresh.filter((entry) => !earlier.some((old) => old.name === entry.name))];
}
