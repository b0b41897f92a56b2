/**
 * Starts the built `npm run web` server (out/node/web.cjs) for tests and reads its URL line.
 *
 * The server is a real child process, as users run it; tests talk to it over HTTP, a Node
 * WebSocket or Chromium. Always stop it in afterEach/afterAll: `stop()` sends SIGTERM (which
 * also stops any demo VM it started) and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { makeTempDir } from './qemu';

/** A running web server. */
export interface TestWebServer {
  readonly pid: number;
  readonly process: ChildProcess;
  /** `http://127.0.0.1:PORT/?token=…` as printed. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** `ws://127.0.0.1:PORT/bridge?token=…`. */
  readonly bridgeUrl: string;
  readonly dataDir: string;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code/signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Where `npm run build` puts the bundle (the default for {@link startWebServer}). */
export const WEB_BUNDLE = resolve(__dirname, '../../out/node/web.cjs');
/** The built renderer that out/node/web.cjs serves. */
export const RENDERER_DIR = resolve(__dirname, '../../out/renderer');

/**
 * Bundles electron/web/main.ts like scripts/build-node.mjs does, but into a fresh temp folder.
 *
 * Test files run in parallel workers; if each rebuilt out/node/web.cjs in place, one could
 * start node on a file another is halfway through writing. A private copy cannot be torn.
 */
export async function buildWebBundle(): Promise<string> {
  const outfile = join(makeTempDir('qmp-web-bundle-'), 'web.cjs');
  await build({
    entryPoints: [resolve(__dirname, '../../electron/web/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    external: ['electron', 'playwright-core'],
    logLevel: 'warning',
  });
  return outfile;
}

const URL_LINE = /^QMP Monitor: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

/** Options of {@link startWebServer}. */
export interface StartWebServerOptions {
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Bundle to run (default out/node/web.cjs; see {@link buildWebBundle}). */
  readonly bundle?: string;
}

/**
 * Starts the web server with `args` (plus `--port 0` and a fresh `--data-dir` unless given).
 *
 * It serves out/renderer unless `env.QMP_MONITOR_RENDERER_DIR` says otherwise, and keeps its
 * shared endpoints and held-target entries in a fresh runtime folder unless
 * `env.QMP_MONITOR_RUNTIME_DIR` names one (never the user's, where a killed server would
 * leave them behind).
 */
export async function startWebServer(args: readonly string[] = [], options: StartWebServerOptions = {}): Promise<TestWebServer> {
  const bundle = options.bundle ?? WEB_BUNDLE;
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run node scripts/build-node.mjs (or use buildWebBundle())`);
  const dataDir = options.dataDir ?? makeTempDir('qmp-web-');
  const fullArgs = [bundle, ...args];
  if (!args.includes('--port')) fullArgs.push('--port', '0');
  if (!args.includes('--data-dir')) fullArgs.push('--data-dir', dataDir);
  const env = { ...process.env, QMP_MONITOR_RENDERER_DIR: RENDERER_DIR, QMP_MONITOR_RUNTIME_DIR: makeTempDir('qmp-web-run-'), ...options.env };
  const child = spawn(process.execPath, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const match = await new Promise<RegExpMatchArray>((resolveMatch, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web server printed no URL within ${options.timeoutMs ?? 20_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const found = URL_LINE.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolveMatch(found);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`web server exited (${code ?? signal}) before printing its URL; stderr: ${stderr}`));
    });
  });
  const port = Number(match[2]);
  const token = match[3]!;
  return {
    pid: child.pid!,
    process: child,
    url: match[1]!,
    origin: `http://127.0.0.1:${port}`,
    port,
    token,
    bridgeUrl: `ws://127.0.0.1:${port}/bridge?token=${token}`,
    dataDir,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
