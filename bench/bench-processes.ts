/**
 * The real processes the timeline benchmarks run: the `npm run web` server and headless Chromium.
 *
 * The server is the built bundle (out/node/web.cjs, next to this bench's own bundle) serving
 * the built renderer (out/renderer), started as a child exactly as users start it, so its CPU
 * and memory are its own. Chromium gets a fresh profile and the flags that keep it from doing
 * background work. Both are stopped by PID (SIGTERM, then SIGKILL after a deadline).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The `npm run web` bundle built beside out/node/bench.cjs. */
export const WEB_BUNDLE = resolve(__dirname, 'web.cjs');
/** The built renderer the web server serves (overridable as the server itself allows). */
export const RENDERER_DIR = process.env['QMP_MONITOR_RENDERER_DIR'] ?? resolve(__dirname, '..', 'renderer');

const URL_LINE = /^QMP Monitor: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m;

/** A running web server child. */
export interface BenchWebServer {
  readonly pid: number;
  readonly url: string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves once it exited. */
  stop(): Promise<void>;
}

/** Fails with the fix when the bundles the timeline bench needs are missing. */
export function assertBuilt(): void {
  for (const file of [WEB_BUNDLE, join(RENDERER_DIR, 'index.html')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm run bench does)`);
  }
}

/** Makes a temporary folder; the caller removes it. */
export function makeBenchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return exited.finally(() => clearTimeout(timer));
}

/**
 * Node options for the benched web server, from `QMP_BENCH_SERVER_NODE_ARGS` (space-separated):
 * e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes (Node refuses those in
 * NODE_OPTIONS). Empty by default.
 */
const SERVER_NODE_ARGS = (process.env['QMP_BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');

/** Starts out/node/web.cjs with `args` on a free port and waits for its URL line. */
export async function startBenchWebServer(args: readonly string[], timeoutMs = 30_000): Promise<BenchWebServer> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, WEB_BUNDLE, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QMP_MONITOR_RENDERER_DIR: RENDERER_DIR },
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`web server printed no URL within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      child.stdout.on('data', (text: string) => {
        stdout += text;
        const found = URL_LINE.exec(stdout);
        if (found) {
          clearTimeout(timer);
          resolveUrl(found[1]!);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`web server exited before printing its URL; stderr: ${stderr}`));
      });
    });
    return { pid: child.pid!, url, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

/** A headless Chromium with one page. */
export interface BenchBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes Chromium and deletes its profile. */
  close(): Promise<void>;
}

/** Launches /usr/bin/chromium (or `CHROMIUM_PATH`) with a fresh profile under `dir`. */
export async function launchBenchBrowser(dir: string): Promise<BenchBrowser> {
  const profile = join(dir, 'chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** `promise`, or a rejection saying `what` after `ms`: a bench step that hangs fails the run instead. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
