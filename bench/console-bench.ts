/**
 * `console-reply-50mb`: how soon the console shows a 50 MB reply, against `JSON.parse` of the
 * same text in the same Chromium page (ratio = parse time ÷ first-level time; the issue asks
 * the first level within 2× the parse, so ≥ 0.5), and `console-reply-50mb-expand-ms`: one
 * expand of a first-level item against the 50 ms frame limit (limit ÷ ours, ≥ 1 within it).
 *
 * The page is renderer/src/features/console/reply-bench-page.tsx, bundled here at run time
 * with esbuild (loaded through `createRequire`, so the bench's own bundle does not swallow
 * esbuild's native binary) and run in the system Chromium, headless. Runs alternate between
 * the two sides so a busy moment of the shared machine hits both alike; medians are kept.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as Esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { result } from './report';
import type { BenchResult } from './types';

/** The reply size the issue names. */
const REPLY_BYTES = 50 * 1024 * 1024;
/** The frame limit while expanding. */
const FRAME_LIMIT_MS = 50;
const RUNS = 5;


function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Bundles the bench page (script and its CSS modules) into a temporary folder. */
async function bundlePage(): Promise<{ readonly js: string; readonly css: string | undefined }> {
  const esbuild = createRequire(__filename)('esbuild') as typeof Esbuild;
  const dir = mkdtempSync(join(tmpdir(), 'qmp-bench-page-'));
  try {
    await esbuild.build({
      entryPoints: [resolve(process.cwd(), 'renderer/src/features/console/reply-bench-page.tsx')],
      outdir: dir,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      loader: { '.module.css': 'local-css' },
      define: { 'process.env.NODE_ENV': '"production"' },
      minify: true,
      logLevel: 'warning',
    });
    const css = join(dir, 'reply-bench-page.css');
    let cssText: string | undefined;
    try {
      cssText = readFileSync(css, 'utf8');
    } catch {
      cssText = undefined;
    }
    return { js: readFileSync(join(dir, 'reply-bench-page.js'), 'utf8'), css: cssText };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PageApi {
  make(bytes: number): number;
  parse(): number;
  render(expand: boolean): { ms: number; items: number; expandMs: number };
}

/** Both entries, measured in one headless Chromium page. */
export async function runConsoleBenchmarks(): Promise<BenchResult[]> {
  const page = await bundlePage();
  const profile = mkdtempSync(join(tmpdir(), 'qmp-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--js-flags=--max-old-space-size=4096'],
    viewport: { width: 1600, height: 1000 },
  });
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    if (page.css !== undefined) await tab.addStyleTag({ content: page.css });
    await tab.addScriptTag({ content: page.js });
    const bytes = await tab.evaluate((size) => (globalThis as unknown as { qmpReplyBench: PageApi }).qmpReplyBench.make(size), REPLY_BYTES);
    const parse: number[] = [];
    const render: number[] = [];
    const expand: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const p = await tab.evaluate(() => (globalThis as unknown as { qmpReplyBench: PageApi }).qmpReplyBench.parse());
      const r = await tab.evaluate(() => (globalThis as unknown as { qmpReplyBench: PageApi }).qmpReplyBench.render(true));
      if (r.items < 100) throw new Error(`the reply tree showed ${r.items} items, expected its first page of 100`);
      if (run === 0) continue; // warm-up
      parse.push(p);
      render.push(r.ms);
      expand.push(r.expandMs);
    }
    const parseMs = median(parse);
    const renderMs = median(render);
    const expandMs = median(expand);
    console.log(`  ${(bytes / 1e6).toFixed(1)} MB: JSON.parse ${parseMs.toFixed(0)} ms, first level ${renderMs.toFixed(0)} ms, expand ${expandMs.toFixed(1)} ms`);
    return [
      // ours = the tree's time, baseline = JSON.parse's: ratio = parse ÷ first level.
      result('console-reply-50mb', renderMs, parseMs, 'ms', false),
      result('console-reply-50mb-expand-ms', expandMs, FRAME_LIMIT_MS, 'ms', false),
    ];
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
