/**
 * The timeline end to end in real Chromium: a flood of 1,000,000 events from ten fake QMP
 * peers through the real core, its push batching, the `npm run web` bridge and the renderer.
 *
 * One run measures, in order: events the page holds ÷ events sent; the web server's CPU share
 * during the flood; how long after the flood's last byte the page shows every event; frame
 * time while tailing (each frame from its start to the end of the main thread's work for it,
 * see FrameSamples in timeline-page.ts; the interval between frames is printed too, but it
 * cannot go below the refresh interval); memory per 1,000,000 events held (the server's RSS,
 * the page's JS heap after a GC); and, on the million events held, how long a free-text and an event-name
 * filter take until the list shows their result, and the frames while they are exported. Every figure is taken from what the page
 * shows or from /proc, never from hooks in the app.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { assertBuilt, launchBenchBrowser, withDeadline, makeBenchDir, startBenchWebServer, type BenchBrowser, type BenchWebServer } from './bench-processes';
import { FloodPeer, needlesIn, NEEDLE_EVENT, NEEDLE_TEXT } from './flood-peer';
import { cpuMeter, residentMb } from './proc-stats';
import { result } from './report';
import { timeExport } from './timeline-flood-export';
import { runFilterTimings } from './timeline-flood-filters';
import { p95 } from './timeline-filter';
import { openTimeline, readCount, sampleFrames, startFrameSampler, stopFrameSamples, waitForShown, type FrameSamples } from './timeline-page';
import type { BenchResult } from './types';

/** The flood's shape: the ten peers at 10,000 events/s for 10 s. */
export interface FloodOptions {
  readonly peers: number;
  readonly perSecond: number;
  readonly seconds: number;
  /** Timed runs of each filter. */
  readonly filterRuns: number;
  /** More `npm run web` arguments (e.g. `--no-journal`, to see what the journal costs). */
  readonly serverArgs: readonly string[];
}

const DEFAULTS: FloodOptions = { peers: 10, perSecond: 10_000, seconds: 10, filterRuns: 6, serverArgs: [] };

/** The limits: a frame within 16 ms, 300 MB per million events, current within 2 s. */
const FRAME_LIMIT_MS = 16;
const MEMORY_LIMIT_MB = 300;
const CURRENT_LIMIT_MS = 2_000;
/**
 * Set to a folder, the page's main thread is CPU-profiled from the flood's start until the page
 * is current (the catch-up after the flood included) and the profile written there
 * (`timeline-flood-page.cpuprofile`, for Chromium's DevTools): the way to see what a slow frame
 * and a slow catch-up are made of. Profiling slows the page, so figures of such a run are
 * not comparable.
 */
const PROFILE_DIR = process.env['QMP_BENCH_PAGE_PROFILE_DIR'];
/**
 * Set to a file name, a Chromium trace (devtools.timeline and v8 categories, all processes) of
 * the same span is written there instead: it tells a long task's script from its layout,
 * paint and GC, and shows when the page's thread was not running at all.
 */
const TRACE_FILE = process.env['QMP_BENCH_PAGE_TRACE'];
/**
 * Set to a file name, a screenshot of the page halfway through the flood is written there (a
 * PNG): what a person sees of the timeline during a burst. Taking it costs the page a frame or
 * two, so figures of such a run are not comparable either.
 */
const SCREENSHOT_FILE = process.env['QMP_BENCH_PAGE_SCREENSHOT'];
/** How long the page may take to show every event after the flood before we report what it holds. */
const CATCH_UP_DEADLINE_MS = 90_000;

/** The page's JS heap in MB after a full garbage collection. */
async function jsHeapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value;
  if (used === undefined) throw new Error('Chromium reported no JSHeapUsedSize');
  return used / 1024 / 1024;
}

/** Samples the server's RSS every 250 ms; `stop()` returns the highest seen (MB). */
function rssPeakSampler(pid: number): { stop(): number } {
  let peak = residentMb(pid).rss;
  const timer = setInterval(() => (peak = Math.max(peak, residentMb(pid).rss)), 250);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, residentMb(pid).rss);
    },
  };
}


/** Waits until the page shows `sent` events; returns ms after `since`, or NaN past the deadline. */
async function timeUntilCurrent(browser: BenchBrowser, sent: number, since: number): Promise<number> {
  try {
    await waitForShown(browser.page, sent, CATCH_UP_DEADLINE_MS);
    return performance.now() - since;
  } catch {
    return Number.NaN;
  }
}

/** What one flood measured; see {@link floodFigures}. */
interface FloodFigures {
  readonly sent: number;
  readonly shown: number;
  readonly dropped: number;
  readonly writtenMs: number;
  readonly drainedMs: number;
  /** ms from the last event written to the page showing every event; NaN past the deadline. */
  readonly currentMs: number;
  /**
   * ms from the server having read the flood (the peers' sockets drained: at most a socket
   * buffer of events still unread) to the page showing every event: the page's own share of
   * `currentMs`, the rest being the server's intake on a shared machine. NaN past the deadline.
   */
  readonly pageLagMs: number;
  readonly cpuPercent: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly rssPeak: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  /** Frames while tailing the flood. */
  readonly frames: FrameSamples;
  /** Frames of the idle page before the flood: one refresh apart, each short. */
  readonly idleFrames: FrameSamples;
}

/** Floods the peers while sampling the page's frames and the server's CPU and RSS. */
async function floodFigures(server: BenchWebServer, peers: readonly FloodPeer[], browser: BenchBrowser, cdp: CDPSession, options: FloodOptions): Promise<FloodFigures> {
  const { page } = browser;
  const perPeer = options.perSecond * options.seconds;
  const sent = perPeer * options.peers;
  const heapBefore = await jsHeapMb(cdp);
  const rssBefore = residentMb(server.pid).rss;
  const idleFrames = await sampleFrames(page, 60);

  const traced: unknown[] = [];
  if (TRACE_FILE !== undefined) {
    cdp.on('Tracing.dataCollected', (data: { value: unknown[] }) => traced.push(...data.value));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  } else if (PROFILE_DIR !== undefined) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await startFrameSampler(page);
  const cpu = cpuMeter(server.pid);
  const rssPeak = rssPeakSampler(server.pid);
  const floodStart = performance.now();
  const floods = peers.map((peer) => peer.flood(perPeer, options.perSecond));
  const screenshot =
    SCREENSHOT_FILE === undefined
      ? Promise.resolve()
      : new Promise((resolve) => setTimeout(resolve, (options.seconds * 1000) / 2)).then(() => page.screenshot({ path: SCREENSHOT_FILE }));
  await Promise.all(floods.map((flood) => flood.generated));
  const floodEnd = performance.now();
  await screenshot;
  await Promise.all(floods.map((flood) => flood.drained));
  const drainedAt = performance.now();
  const cpuPercent = cpu.stop();
  const frames = await stopFrameSamples(page);
  if (TRACE_FILE !== undefined) {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync(TRACE_FILE, JSON.stringify(traced));
  }
  const currentMs = await timeUntilCurrent(browser, sent, floodEnd);
  if (TRACE_FILE === undefined && PROFILE_DIR !== undefined) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, 'timeline-flood-page.cpuprofile'), JSON.stringify(profile));
  }
  const peak = rssPeak.stop();
  const count = await readCount(page);
  return {
    sent,
    shown: count.shown,
    dropped: count.dropped,
    writtenMs: floodEnd - floodStart,
    drainedMs: drainedAt - floodStart,
    currentMs,
    pageLagMs: floodEnd + currentMs - drainedAt,
    cpuPercent,
    rssBefore,
    rssAfter: residentMb(server.pid).rss,
    rssPeak: peak,
    heapBefore,
    heapAfter: await jsHeapMb(cdp),
    frames,
    idleFrames,
  };
}

function printFigures(figures: FloodFigures): void {
  const { sent, shown, dropped, currentMs, frames } = figures;
  const current = Number.isNaN(currentMs) ? `not within ${CATCH_UP_DEADLINE_MS / 1000} s` : `${currentMs.toFixed(0)} ms`;
  console.log(
    `  ${sent.toLocaleString('en-US')} events written in ${(figures.writtenMs / 1000).toFixed(1)} s, read by the server within ${(figures.drainedMs / 1000).toFixed(1)} s; ` +
      `page shows ${shown.toLocaleString('en-US')} (${dropped.toLocaleString('en-US')} older dropped), current ${current} after the last was written` +
      (Number.isNaN(figures.pageLagMs) ? '' : ` (${figures.pageLagMs.toFixed(0)} ms after the server had read it)`),
  );
  console.log(
    `  server CPU ${figures.cpuPercent.toFixed(0)} % of a core until it had read the flood; RSS ${figures.rssBefore.toFixed(0)} → ${figures.rssAfter.toFixed(0)} MB (peak ${figures.rssPeak.toFixed(0)} MB)`,
  );
  console.log(
    `  page JS heap ${figures.heapBefore.toFixed(0)} → ${figures.heapAfter.toFixed(0)} MB; ${frames.times.length} frames while tailing: frame time p95 ${p95(frames.times).toFixed(1)} ms, ` +
      `max ${Math.max(...frames.times).toFixed(0)} ms; interval p95 ${p95(frames.intervals).toFixed(1)} ms, max ${Math.max(...frames.intervals).toFixed(0)} ms ` +
      `(idle page: frame time p95 ${p95(figures.idleFrames.times).toFixed(1)} ms, interval p95 ${p95(figures.idleFrames.intervals).toFixed(1)} ms, one refresh)`,
  );
}

/** The flood, then the filters on what it left in the page; returns the entries. */
async function measure(server: BenchWebServer, peers: readonly FloodPeer[], browser: BenchBrowser, options: FloodOptions): Promise<BenchResult[]> {
  const cdp = await browser.context.newCDPSession(browser.page);
  await cdp.send('Performance.enable');
  const figures = await floodFigures(server, peers, browser, cdp, options);
  await cdp.detach();
  printFigures(figures);
  const filters = await runFilterTimings(browser.page, { text: NEEDLE_TEXT, name: NEEDLE_EVENT, total: figures.shown, runs: options.filterRuns });
  const needles = needlesIn(options.perSecond * options.seconds) * options.peers;
  if (filters.matched !== needles) console.log(`  (the filters found ${filters.matched} of the ${needles} needles sent)`);
  console.log(
    `  filters over ${figures.shown.toLocaleString('en-US')} events: text p95 ${p95(filters.text).toFixed(0)} ms (first ${filters.firstText.toFixed(0)} ms), ` +
      `name p95 ${p95(filters.name).toFixed(0)} ms (first ${filters.firstName.toFixed(0)} ms); runs: text ${filters.text.map((ms) => ms.toFixed(0)).join(' ')}, name ${filters.name.map((ms) => ms.toFixed(0)).join(' ')}`,
  );
  const exported = await timeExport(browser.page);
  console.log(
    `  JSON Lines export of ${figures.shown.toLocaleString('en-US')} rows: ${(exported.bytes / 1024 / 1024).toFixed(0)} MB in ${(exported.ms / 1000).toFixed(1)} s; ` +
      `${exported.frames.length} frames meanwhile, p95 ${p95(exported.frames).toFixed(1)} ms, max ${Math.max(...exported.frames).toFixed(0)} ms`,
  );
  const perMillion = 1_000_000 / Math.max(1, figures.shown);
  return [
    result('timeline-flood-lost', figures.shown, figures.sent, 'events held ÷ sent', true),
    result('timeline-flood-current-ms', Number.isNaN(figures.currentMs) ? CATCH_UP_DEADLINE_MS : figures.currentMs, CURRENT_LIMIT_MS, 'ms after the flood (limit ÷ ours)', false),
    result('timeline-flood-page-lag-ms', Number.isNaN(figures.pageLagMs) ? CATCH_UP_DEADLINE_MS : Math.max(1, figures.pageLagMs), CURRENT_LIMIT_MS, 'ms after the server read the flood (limit ÷ ours)', false),
    result('timeline-flood-main-cpu-pct', figures.cpuPercent, 100, '% of one core (core ÷ ours)', false),
    result('timeline-frame-p95-ms', p95(figures.frames.times), FRAME_LIMIT_MS, 'ms frame time (limit ÷ ours)', false),
    result('timeline-mem-main-mb-per-1m', (figures.rssAfter - figures.rssBefore) * perMillion, MEMORY_LIMIT_MB, 'MB server RSS (limit ÷ ours)', false),
    result('timeline-mem-renderer-mb-per-1m', (figures.heapAfter - figures.heapBefore) * perMillion, MEMORY_LIMIT_MB, 'MB page JS heap (limit ÷ ours)', false),
    result('timeline-filter-1m-ms', p95([...filters.text, ...filters.name]), 100, 'ms (limit ÷ ours)', false),
    result('timeline-export-1m-frame-p95-ms', p95(exported.frames), FRAME_LIMIT_MS, 'ms rAF interval while exporting (limit ÷ ours)', false),
  ];
}

/** Runs the flood (default: the shape) and returns its entries; removes all it made. */
export async function runTimelineFloodBenchmarks(overrides: Partial<FloodOptions> = {}): Promise<BenchResult[]> {
  const options = { ...DEFAULTS, ...overrides };
  assertBuilt();
  const began = performance.now();
  const root = makeBenchDir('qmp-bench-timeline-');
  const peers: FloodPeer[] = [];
  let server: BenchWebServer | undefined;
  let browser: BenchBrowser | undefined;
  try {
    for (let index = 0; index < options.peers; index++) peers.push(await FloodPeer.start(join(root, `vm${index}.sock`), `flood-${index}`));
    server = await startBenchWebServer(['--data-dir', join(root, 'data'), ...options.serverArgs, ...peers.flatMap((peer) => ['--connect', peer.socketPath])]);
    await withDeadline(Promise.all(peers.map((peer) => peer.whenReady())), 60_000, 'the web server did not connect to every fake peer');
    browser = await launchBenchBrowser(root);
    await openTimeline(browser.page, server.url, peers.map((_, index) => `flood-${index}`));
    const results = await measure(server, peers, browser, options);
    console.log(`  (the timeline run took ${((performance.now() - began) / 1000).toFixed(0)} s)`);
    return results;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await Promise.all(peers.map((peer) => peer.close()));
    rmSync(root, { recursive: true, force: true });
  }
}
