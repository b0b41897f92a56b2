/**
 * The local demo VM that the app starts and owns.
 *
 * A first-time user has no VM to point at; the demo gives them a real QEMU to explore
 * (paused at prelaunch, no disk, no display). The app owns the process: it stops it on dispose
 * (SIGTERM, then SIGKILL by PID) and reports why it exited with QEMU's own last stderr lines;
 * where the system allows it, the kernel also ends it when the app dies without stopping it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { DemoState } from '../../common/models';
import { QEMU_BINARY_NAME, findOnPath, ownedCommand, qemuInstallHint } from './qemu-binary';

/** How long QEMU may take to create its socket before the start counts as failed. */
const SOCKET_TIMEOUT_MS = 15_000;
/** Grace period between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3_000;
/** Stderr kept for the exit reason. */
const STDERR_TAIL_LINES = 8;

/** Options of {@link DemoVm}. */
export interface DemoVmOptions {
  readonly dataDir: string;
  /** Binary to run; found on PATH when absent (tests may point at another). */
  readonly binary?: string | null;
  readonly onChange: (state: DemoState) => void;
}

/** Arguments of the demo VM: a PC paused before boot, no devices, QMP on a unix socket. */
export function demoQemuArgs(socketPath: string): string[] {
  return ['-M', 'pc', '-S', '-nodefaults', '-display', 'none', '-name', 'qmp-monitor-demo', '-qmp', `unix:${socketPath},server=on,wait=off`];
}

/** Runs at most one demo QEMU and reports its state. */
export class DemoVm {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private stderrTail: string[] = [];
  private stopping = false;
  private current: DemoState = { status: 'absent' };

  public constructor(private readonly options: DemoVmOptions) {}

  /** The current state. */
  public get state(): DemoState {
    return this.current;
  }

  /** Path of the demo's QMP socket. */
  public get socketPath(): string {
    return join(this.options.dataDir, 'demo', 'qmp.sock');
  }

  /**
   * Starts QEMU and resolves once its QMP socket exists (status `running`).
   *
   * Resolves (never rejects) with `unavailable` when QEMU is not installed and with `exited`
   * when QEMU quits during start-up, so callers always get a state to show.
   */
  public async start(): Promise<DemoState> {
    if (this.child) return this.current;
    const binary = this.options.binary === undefined ? await findOnPath(QEMU_BINARY_NAME) : this.options.binary;
    if (!binary) {
      return this.set({ status: 'unavailable', reason: `${QEMU_BINARY_NAME} was not found on PATH`, installHint: qemuInstallHint() });
    }
    try {
      // Checked here because through setpriv a missing binary would read as setpriv's own failure.
      await fs.access(binary, fsConstants.X_OK);
    } catch (error) {
      return this.set({ status: 'exited', reason: `${binary} cannot be run: ${(error as Error).message}` });
    }
    await fs.mkdir(join(this.options.dataDir, 'demo'), { recursive: true });
    await fs.rm(this.socketPath, { force: true });
    this.stderrTail = [];
    this.stopping = false;
    // Tied to our life by the kernel, so even a crash of the app cannot orphan it.
    const command = await ownedCommand(binary, demoQemuArgs(this.socketPath));
    const child = spawn(command.file, command.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    this.exited = new Promise((resolve) => {
      // 'close' (not 'exit') so QEMU's last stderr lines are in before the reason is built.
      child.once('close', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
      child.once('error', (error) => {
        this.keepStderr(String(error.message));
        if (child.pid === undefined) {
          this.onExit(child, null, null);
          resolve();
        }
      });
    });
    this.set({ status: 'starting', ...(child.pid !== undefined ? { pid: child.pid } : {}) });
    await this.waitForSocket(child);
    if (this.child === child && this.current.status === 'starting') this.set({ ...this.current, status: 'running' });
    return this.current;
  }

  /** Records the VM id the service gave the demo, for the UI. */
  public attachVmId(vmId: string): void {
    this.set({ ...this.current, vmId });
  }

  /** Stops QEMU: SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
  public async stop(): Promise<DemoState> {
    const child = this.child;
    if (!child || child.pid === undefined) return this.current;
    this.stopping = true;
    const pid = child.pid;
    signal(pid, 'SIGTERM');
    const timer = setTimeout(() => signal(pid, 'SIGKILL'), KILL_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    return this.current;
  }

  private async waitForSocket(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + SOCKET_TIMEOUT_MS;
    // QEMU creates the socket during start-up; there is no event to wait on, so poll briefly.
    while (this.child === child) {
      if (await isSocket(this.socketPath)) return;
      if (Date.now() > deadline) {
        this.keepStderr(`the QMP socket did not appear within ${SOCKET_TIMEOUT_MS / 1000} s`);
        await this.stop();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private onExit(child: ChildProcess, code: number | null, sig: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    const how = sig ? `killed by ${sig}` : `exit code ${code ?? 'unknown'}`;
    const who = this.stopping ? 'stopped by QMP Monitor' : 'QEMU exited';
    const tail = this.stderrTail.join('\n').trim();
    const { vmId } = this.current;
    this.set({ status: 'exited', reason: `${who} (${how})${tail ? `: ${tail}` : ''}`, ...(vmId ? { vmId } : {}) });
  }

  private keepStderr(chunk: string): void {
    const lines = chunk.split(/\r?\n/).filter((l) => l.trim() !== '');
    this.stderrTail = [...this.stderrTail, ...lines].slice(-STDERR_TAIL_LINES);
  }

  private set(state: DemoState): DemoState {
    this.current = state;
    this.options.onChange(state);
    return state;
  }
}

async function isSocket(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isSocket();
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: the exit handler reports it.
  }
}
