/**
 * Runs the built `qmp-monitor` CLI the way a user does (node out/node/cli.cjs ...), and fakes
 * QMP peers for the failures real QEMU cannot produce (garbage, truncated replies, silence).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { killAllQemu, makeTempDir, removeTempDir, startQemu, waitFor, type QemuOptions, type TestQemu } from './qemu';

/** Repository root (tests run with it as cwd). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The bundle users run through bin/qmp-monitor.cjs. */
export const CLI_BUNDLE = join(ROOT, 'out', 'node', 'cli.cjs');

let built: Promise<void> | undefined;

/**
 * Bundles electron/cli/main.ts to out/node/cli.cjs, once per test process.
 *
 * Same settings as scripts/build-node.mjs but only the CLI entry, so another program's
 * half-written sources cannot break these tests; written to a temporary name and renamed so a
 * parallel test file never runs a half-written bundle.
 */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    const tmp = `${CLI_BUNDLE}.${process.pid}.tmp`;
    await build({
      entryPoints: [join(ROOT, 'electron/cli/main.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron', 'playwright-core'],
      logLevel: 'warning',
    });
    renameSync(tmp, CLI_BUNDLE);
  })();
  return built;
}

/** A finished CLI run. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/** A CLI process still running, with its output so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
  /** Waits until stdout (or stderr) matches. */
  waitForOutput(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<void>;
}

let fileRuntimeDir: string | undefined;

/**
 * The environment of a CLI run: ours, a runtime folder of this test file's own (the proxy's
 * sockets and the held-target registry: never the user's, where a killed CLI leaves them),
 * then `env`, which may name another (`QMP_MONITOR_RUNTIME_DIR`, to meet a service's).
 */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  fileRuntimeDir ??= makeTempDir('qmp-cli-run-');
  return { ...process.env, QMP_MONITOR_RUNTIME_DIR: fileRuntimeDir, ...env };
}

/** Starts the CLI with `args`; stdin stays open for the caller (child.stdin). */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return track(spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd: ROOT, env: cliEnv(env), stdio: 'pipe' }));
}

/**
 * Starts the CLI on a pseudo-terminal (util-linux `script`), so it sees a TTY on stdin and
 * stdout as in a user's terminal; what the test writes to stdin is typed into that terminal.
 */
export function spawnCliInPty(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const commandLine = [process.execPath, CLI_BUNDLE, ...args].map(quote).join(' ');
  return track(spawn('script', ['-qfec', commandLine, '/dev/null'], { cwd: ROOT, env: cliEnv({ TERM: 'xterm', ...env }), stdio: 'pipe' }));
}

function track(child: ChildProcess & { stdin: Writable; stdout: Readable; stderr: Readable }): CliProcess {
  const started = Date.now();
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.on('error', () => undefined); // the CLI may exit before reading all input
  const done = new Promise<CliResult>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout: out, stderr: err, ms: Date.now() - started }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForOutput: (pattern, stream = 'stdout') =>
      waitFor(() => pattern.test(stream === 'stdout' ? out : err), `CLI ${stream} to match ${pattern} (stdout: ${out} stderr: ${err})`, 15_000),
  };
}

/** Runs the CLI to completion, feeding `input` on stdin (then closing it). */
export async function runCli(args: readonly string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const cli = spawnCli(args, env);
  cli.child.stdin?.end(input);
  return cli.done;
}

/** JSON lines of a text (non-empty lines only). */
export function jsonLines(text: string): unknown[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}

/** The greeting of QEMU 7.2, as our fakes send it. */
export const GREETING = '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18"}, "capabilities": ["oob"]}}\r\n';

/** A fake QMP peer on loopback; `target` is what the CLI is given. */
export interface FakePeer {
  readonly target: string;
  readonly server: Server;
  /** Sockets accepted so far (for tests that wait for a connection). */
  readonly sockets: readonly Socket[];
  close(): Promise<void>;
}

/**
 * Starts a TCP server that hands each connection to `onConnection`.
 *
 * Helpers below cover the usual script: greet, answer qmp_capabilities, then misbehave.
 */
export async function startFakePeer(onConnection: (socket: Socket) => void, host = '127.0.0.1'): Promise<FakePeer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake peer has no port');
  return {
    target: `tcp:${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    server,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Greets, answers qmp_capabilities, then calls `onCommand` with each later command (id included)
 * and its raw text, so a fake can answer exactly the way a test needs.
 */
export function scriptedPeer(
  onCommand: (socket: Socket, command: { execute: string; id: unknown }, raw: string) => void,
  onNegotiated?: (socket: Socket) => void,
): (socket: Socket) => void {
  return (socket) => {
    socket.write(GREETING);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        // Our client sends one command per line; ids are plain strings, so JSON.parse is safe here.
        const command = JSON.parse(line) as { execute: string; id: unknown };
        if (command.execute === 'qmp_capabilities') {
          socket.write(`{"return": {}, "id": ${JSON.stringify(command.id)}}\r\n`);
          onNegotiated?.(socket);
        } else onCommand(socket, command, line);
      }
    });
  };
}

/** What a CLI test file starts; everything is stopped and removed after each test. */
export interface CliFixture {
  /** A real QEMU in a temporary folder of its own. */
  qemu(options?: QemuOptions): Promise<TestQemu>;
  /** A fake peer on loopback (see startFakePeer); closing it early is fine. */
  fake(onConnection: (socket: Socket) => void, host?: string): Promise<FakePeer>;
  /** The CLI with stdin open (piped stdio). */
  spawn(args: readonly string[], env?: NodeJS.ProcessEnv): CliProcess;
  /** The CLI on a pseudo-terminal. */
  spawnInPty(args: readonly string[], env?: NodeJS.ProcessEnv): CliProcess;
  /** The CLI run to completion with `input` on stdin. */
  run(args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** A fresh temporary folder. */
  tempDir(): string;
}

/**
 * The set-up every CLI test file shares: builds the CLI once, and after each test kills the
 * CLIs and QEMUs it started (by PID), closes the fake peers and removes every temporary folder.
 *
 * Call once at the top of a test file; it registers the Vitest hooks itself.
 */
export function useCliFixture(): CliFixture {
  const clis: CliProcess[] = [];
  const qemus: TestQemu[] = [];
  const fakes: FakePeer[] = [];
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = makeTempDir('qmp-cli-test-');
    dirs.push(dir);
    return dir;
  };
  const tracked = (cli: CliProcess): CliProcess => (clis.push(cli), cli);
  // Each test's CLIs share one runtime folder (a proxy and the exec that finds it), removed after it.
  let runtime: string | undefined;
  const withRuntime = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ QMP_MONITOR_RUNTIME_DIR: (runtime ??= tempDir()), ...env });

  beforeAll(buildCli, 60_000);
  afterEach(async () => {
    await Promise.all(
      clis.splice(0).map(async (c) => {
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
        await c.done;
      }),
    );
    await Promise.all(qemus.splice(0).map((q) => q.kill()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    for (const dir of dirs.splice(0)) removeTempDir(dir);
    runtime = undefined;
  });
  afterAll(killAllQemu);

  return {
    qemu: async (options = {}) => {
      const q = await startQemu({ ...options, dir: options.dir ?? tempDir() });
      qemus.push(q);
      return q;
    },
    fake: async (onConnection, host) => {
      const peer = await startFakePeer(onConnection, host);
      let closed: Promise<void> | undefined;
      const once: FakePeer = { ...peer, sockets: peer.sockets, close: () => (closed ??= peer.close()) };
      fakes.push(once);
      return once;
    },
    spawn: (args, env) => tracked(spawnCli(args, withRuntime(env))),
    spawnInPty: (args, env) => tracked(spawnCliInPty(args, withRuntime(env))),
    run: async (args, input = '', env) => {
      const cli = tracked(spawnCli(args, withRuntime(env)));
      cli.child.stdin?.end(input);
      return cli.done;
    },
    tempDir,
  };
}
