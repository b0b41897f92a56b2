/**
 * Per-second event counts by series, kept incrementally, and the bucketing and stacking the
 * rate strip draws from them.
 *
 * The timeline holds up to a million events; re-counting them for every frame would cost a
 * scan of the whole buffer. Instead each arriving batch adds to one small row per second (one
 * counter per series), and drawing reads at most one row per second of the visible span.
 */

/**
 * A time range in epoch milliseconds of the app's clock (events' `receivedAt`), inclusive.
 *
 * Lives here, outside the strip's .tsx, so pure code (filters, benchmarks built without JSX)
 * can name it; rate-strip.tsx re-exports it.
 */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Anything that answers "how many of each series in this epoch second" (a Map fits). */
export interface PerSecondSource {
  /** The counts for one epoch second, indexed by series, or undefined for none. */
  get(epochSecond: number): ArrayLike<number> | undefined;
}

/** Seconds kept by default: six hours, more than the strip's longest span. */
export const DEFAULT_KEEP_SECONDS = 6 * 3600;

/**
 * Counts per epoch second and series, bounded to the newest `keepSeconds` seconds.
 *
 * Mutable on purpose (a copy per batch would cost O(held)); `revision` grows with every change
 * so a React component can tell that it must redraw.
 */
export class SecondCounts implements PerSecondSource {
  private readonly rows = new Map<number, Uint32Array>();
  private newest = Number.NEGATIVE_INFINITY;
  private changes = 0;

  public constructor(
    public readonly seriesCount: number,
    public readonly keepSeconds: number = DEFAULT_KEEP_SECONDS,
  ) {}

  /** Bumped by every {@link add} and {@link clear}. */
  public get revision(): number {
    return this.changes;
  }

  /** The newest second counted, or undefined when empty. */
  public get newestSecond(): number | undefined {
    return this.rows.size === 0 ? undefined : this.newest;
  }

  /** Adds `count` events of `series` at `epochSecond`; seconds older than the kept window are ignored. */
  public add(epochSecond: number, series: number, count = 1): void {
    if (!Number.isInteger(series) || series < 0 || series >= this.seriesCount || !Number.isFinite(epochSecond)) return;
    const second = Math.floor(epochSecond);
    if (second <= this.newest - this.keepSeconds) return;
    let row = this.rows.get(second);
    if (!row) {
      row = new Uint32Array(this.seriesCount);
      this.rows.set(second, row);
      if (second > this.newest) this.newest = second;
      this.prune();
    }
    row[series] = (row[series] ?? 0) + count;
    this.changes++;
  }

  public get(epochSecond: number): Uint32Array | undefined {
    return this.rows.get(epochSecond);
  }

  /** Forgets every count (the buffer was cleared). */
  public clear(): void {
    this.rows.clear();
    this.newest = Number.NEGATIVE_INFINITY;
    this.changes++;
  }

  /** Drops rows that fell out of the window; a full pass only when the map outgrew it, so O(1) amortised. */
  private prune(): void {
    if (this.rows.size <= this.keepSeconds + 64) return;
    const cutoff = this.newest - this.keepSeconds;
    for (const second of this.rows.keys()) if (second <= cutoff) this.rows.delete(second);
  }
}

/**
 * Bucket length for a span: 1 s up to 10 minutes, 10 s up to 2 hours, 60 s beyond, so the
 * strip never draws more than about 720 bars.
 */
export function bucketSecondsFor(spanSeconds: number): 1 | 10 | 60 {
  if (spanSeconds <= 600) return 1;
  if (spanSeconds <= 7200) return 10;
  return 60;
}

/** Per-bucket rates of each series, ready to stack. */
export interface Buckets {
  /** Start of each bucket, epoch seconds, oldest first. */
  readonly starts: Float64Array;
  /** Events per second of each series in each bucket: `rates[series][bucket]`. */
  readonly rates: readonly Float64Array[];
  /** Bucket length in seconds. */
  readonly bucketSeconds: number;
}

/**
 * Sums the per-second counts of `[fromSecond, toSecond]` into buckets aligned to multiples of
 * `bucketSeconds` (so bars do not shift as time passes) and divides by the bucket length, so
 * the values read as events per second whatever the bucket size.
 *
 * Reads each second once: O(span in seconds × series).
 */
export function bucketRates(source: PerSecondSource, seriesCount: number, fromSecond: number, toSecond: number, bucketSeconds: number): Buckets {
  const first = Math.floor(fromSecond / bucketSeconds) * bucketSeconds;
  const last = Math.floor(toSecond / bucketSeconds) * bucketSeconds;
  const count = Math.max(0, Math.floor((last - first) / bucketSeconds) + 1);
  const starts = new Float64Array(count);
  const rates = Array.from({ length: seriesCount }, () => new Float64Array(count));
  for (let bucket = 0; bucket < count; bucket++) {
    const start = first + bucket * bucketSeconds;
    starts[bucket] = start;
    for (let second = start; second < start + bucketSeconds; second++) {
      const row = source.get(second);
      if (!row) continue;
      for (let series = 0; series < seriesCount; series++) {
        const values = rates[series];
        if (values) values[bucket] = (values[bucket] ?? 0) + (row[series] ?? 0);
      }
    }
  }
  if (bucketSeconds !== 1) for (const values of rates) for (let i = 0; i < count; i++) values[i] = (values[i] ?? 0) / bucketSeconds;
  return { starts, rates, bucketSeconds };
}

/**
 * Running sums bottom-up: `stacked[i]` is series 0..i added, so the last is the total.
 * Drawn from the top layer down, each layer's fill covers the one above only where it is lower.
 */
export function stackRates(rates: readonly Float64Array[]): Float64Array[] {
  const stacked: Float64Array[] = [];
  let below: Float64Array | undefined;
  for (const values of rates) {
    const sum = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) sum[i] = (values[i] ?? 0) + (below?.[i] ?? 0);
    stacked.push(sum);
    below = sum;
  }
  return stacked;
}

/** The highest total rate in any bucket (0 when nothing happened). */
export function peakRate(stacked: readonly Float64Array[]): number {
  const total = stacked[stacked.length - 1];
  let peak = 0;
  if (total) for (const value of total) if (value > peak) peak = value;
  return peak;
}
