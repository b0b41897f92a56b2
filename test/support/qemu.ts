/**
 * Starts real QEMU processes for tests, on temporary sockets, and always kills them by PID.
 *
 * Tests wait on conditions (the socket file appearing, a port accepting), never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, existsSync } from 'node:fs';
import { makeTempDir } from './temp-dirs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A QEMU started by a test. */
export interface TestQemu {
  readonly pid: number;
  readonly process: ChildProcess;
  /** `unix:PATH` or `tcp:127.0.0.1:PORT`, as the CLI and the app take it. */
  readonly target: string;
  /** Socket path for unix monitors, else undefined. */
  readonly socketPath: string | undefined;
  readonly port: number | undefined;
  readonly dir: string;
  /** Everything QEMU wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Sends SIGKILL and waits for the exit. Safe to call twice. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** How to start a test QEMU. */
export interface QemuOptions {
  /** `none` (default, starts in well under a second) or `pc` (devices, run-state events). */
  readonly machine?: 'none' | 'pc';
  /** Start paused (-S); default true for `pc`. */
  readonly paused?: boolean;
  readonly transport?: 'unix' | 'tcp';
  /** pretty=on monitor (unix only). */
  readonly pretty?: boolean;
  readonly name?: string;
  /** Reuse a directory/socket path (for restart-on-the-same-socket tests). */
  readonly dir?: string;
  readonly port?: number;
  readonly extraArgs?: readonly string[];
}

const running = new Set<TestQemu>();

/** Kills every QEMU this process started (call from afterAll as a safety net). */
export async function killAllQemu(): Promise<void> {
  await Promise.all([...running].map((q) => q.kill()));
}

export { makeTempDir, removeTempDir } from './temp-dirs';

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until `check` is true, at a short interval, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * True once a socket is in the LISTEN state, read from the kernel's tables.
 *
 * A probe connection would take QEMU's only monitor slot for a moment (and its backlog is 1),
 * racing the test's own client; /proc/net shows listening sockets without touching them.
 */
async function listening(where: { port: number } | { path: string }): Promise<boolean> {
  if ('path' in where) {
    const table = await readFile('/proc/net/unix', 'utf8');
    // Flags 00010000 (__SO_ACCEPTCON) marks a listening socket; the path is the last column.
    return table.split('\n').some((line) => line.endsWith(` ${where.path}`) && line.split(/\s+/)[3] === '00010000');
  }
  const portHex = where.port.toString(16).toUpperCase().padStart(4, '0');
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  return tables.some((table) =>
    table.split('\n').some((line) => {
      const columns = line.trim().split(/\s+/);
      return columns[1]?.endsWith(`:${portHex}`) === true && columns[3] === '0A';
    }),
  );
}

/**
 * Starts qemu-system-x86_64 with a QMP monitor and resolves once its socket is there.
 *
 * Ready means the kernel lists the socket as listening, so the test's own client is the
 * monitor's first and only connection.
 */
export async function startQemu(options: QemuOptions = {}): Promise<TestQemu> {
  const machine = options.machine ?? 'none';
  const paused = options.paused ?? machine === 'pc';
  const transport = options.transport ?? 'unix';
  const dir = options.dir ?? makeTempDir();
  const socketPath = transport === 'unix' ? join(dir, 'qmp.sock') : undefined;
  const port = transport === 'tcp' ? (options.port ?? (await freePort())) : undefined;
  const args = ['-M', machine, '-nodefaults', '-display', 'none'];
  if (paused) args.push('-S');
  if (options.name) args.push('-name', options.name);
  if (socketPath && options.pretty) {
    args.push('-chardev', `socket,id=mon0,path=${socketPath},server=on,wait=off`, '-mon', 'chardev=mon0,mode=control,pretty=on');
  } else if (socketPath) {
    args.push('-qmp', `unix:${socketPath},server=on,wait=off`);
  } else {
    args.push('-qmp', `tcp:127.0.0.1:${port},server=on,wait=off`);
  }
  args.push(...(options.extraArgs ?? []));
  if (socketPath && existsSync(socketPath)) rmSync(socketPath);

  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.once('error', (error) => (stderr += String(error)));

  const qemu: TestQemu = {
    pid: child.pid ?? -1,
    process: child,
    target: socketPath ? `unix:${socketPath}` : `tcp:127.0.0.1:${port}`,
    socketPath,
    port,
    dir,
    stderr: () => stderr,
    kill: async (signal = 'SIGKILL') => {
      running.delete(qemu);
      if (!exited && child.pid) {
        try {
          process.kill(child.pid, signal);
        } catch {
          /* already gone */
        }
      }
      await exitPromise;
    },
  };
  running.add(qemu);
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`qemu exited early: ${stderr.trim()}`);
        // The socket file appears at bind(), a moment before listen(): wait for LISTEN itself.
        return socketPath ? existsSync(socketPath) && listening({ path: socketPath }) : listening({ port: port! });
      },
      'the QMP socket',
      15_000,
    );
  } catch (error) {
    await qemu.kill();
    throw error;
  }
  return qemu;
}
