/**
 * Shapes shared by every benchmark, so `bench/results.json` has one format for all of them.
 */

/**
 * One measured ratio: our throughput against a baseline measured in the same run.
 *
 * Ratios, not absolute numbers, are what we track: they survive a slower or busier machine.
 * `ratio` is ours ÷ baseline for throughputs (1.0 = as fast as the baseline, higher is
 * better); for costs such as memory the entry says so in `unit` and uses baseline ÷ ours so
 * that higher is still better.
 */
export interface BenchResult {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  ratio: number;
}
