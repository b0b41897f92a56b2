/**
 * Starts the built `npm run web` server (out/node/web.cjs) for tests and reads its URL line.
 *
 * The server is a real child process, as users run it; tests talk to it over HTTP, a Node
 * WebSocket or Chromium. Always stop it in afterEach/afterAll: `stop()` sends SIGTERM (which
 * also stops any demo VM it started) and waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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

/** Where the bundle lives; build it with `node scripts/build-node.mjs` first. */
export const WEB_BUNDLE = resolve(__dirname, '../../out/node/web.cjs');

const URL_LINE = /^QMP Monitor: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m;

/** Starts out/node/web.cjs with `args` (plus `--port 0` and a fresh `--data-dir` unless given). */
export async function startWebServer(args: readonly string[] = [], options: { dataDir?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<TestWebServer> {
  if (!existsSync(WEB_BUNDLE)) throw new Error(`${WEB_BUNDLE} is missing: run node scripts/build-node.mjs`);
  const dataDir = options.dataDir ?? makeTempDir('qmp-web-');
  const fullArgs = [WEB_BUNDLE, ...args];
  if (!args.includes('--port')) fullArgs.push('--port', '0');
  if (!args.includes('--data-dir')) fullArgs.push('--data-dir', dataDir);
  const child = spawn(process.execPath, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const match = await new Promise<RegExpMatchArray>((resolveMatch, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web server printed no URL within ${options.timeoutMs ?? 20_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout!.on('data', (d: string) => {
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
