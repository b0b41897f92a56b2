/**
 * The demo QEMU dies with the app, however the app dies.
 *
 * A SIGKILL gives the app no chance to stop its QEMU; only the kernel's parent-death signal
 * (setpriv --pdeathsig) can. This runs the real `npm run web --demo` bundle, kills it with
 * SIGKILL and waits for its QEMU to go.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, waitFor } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';

let bundle = '';
let rendererDir = '';
const dirs: string[] = [];
const servers: TestWebServer[] = [];
const pids: number[] = [];

beforeAll(async () => {
  bundle = await buildWebBundle();
  dirs.push(join(bundle, '..'));
  // A stand-in renderer: this test is about processes, not the UI build.
  rendererDir = makeTempDir('qmp-orphan-renderer-');
  dirs.push(rendererDir);
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>QMP Monitor</title>');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone, as it should be */
    }
  }
});
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `/proc/PID/stat` fields after the command name: state, then parent PID. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie nobody has reaped yet (a container's PID 1 may never reap it). */
function gone(pid: number): boolean {
  const s = stat(pid);
  return s === undefined || s.state === 'Z';
}

function qemuChildOf(parent: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || stat(pid)?.ppid !== parent) continue;
    try {
      // setpriv execs QEMU in place (same PID): wait until it has, i.e. the death signal is set.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('qemu-system-x86_64') && argv.some((arg) => arg.includes('qmp-monitor-demo'))) return pid;
    } catch {
      /* exited meanwhile */
    }
  }
  return undefined;
}

describe('demo QEMU and a crashing app (real npm run web bundle)', () => {
  it('a SIGKILLed web server takes its demo QEMU with it', async () => {
    const dataDir = makeTempDir('qmp-orphan-data-');
    dirs.push(dataDir);
    const server = await startWebServer(['--demo'], { bundle, dataDir, env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
    servers.push(server);
    let qemuPid: number | undefined;
    // The server's own child, once it is QEMU itself (not setpriv still setting up).
    await waitFor(() => (qemuPid = qemuChildOf(server.pid)) !== undefined, 'the demo QEMU to start', 20_000);
    pids.push(qemuPid!);
    expect(readFileSync(`/proc/${qemuPid}/cmdline`, 'utf8').split('\0')[0]).toMatch(/qemu-system-x86_64$/);

    expect(await server.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor(() => gone(qemuPid!), 'the orphaned demo QEMU to exit', 15_000);
  });
});
