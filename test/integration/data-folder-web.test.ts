/**
 * `npm run web` (the real bundle, as a child process) and its data folder: a read-only folder
 * starts with a notice, an unusable one exits 1 with one line, a folder in use by another
 * running server is refused naming its PID and command, and a lock left by a SIGKILLed server
 * is taken over.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, waitFor } from '../support/qemu';
import { UNWRITABLE_REASON, makeUnwritable, makeWritable } from '../support/unwritable-dir';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';
import { readBridgeMessage } from '../../electron/common/compact-events';

let bundle = '';
let rendererDir = '';
const servers: TestWebServer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  bundle = await buildWebBundle();
  rendererDir = makeTempDir('qmp-web-renderer-');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>QMP Monitor</title>');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => {
  for (const dir of [dirname(bundle), rendererDir]) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = makeTempDir('qmp-web-data-');
  dirs.push(dir);
  return dir;
}

async function serve(dataDir: string): Promise<TestWebServer> {
  const server = await startWebServer(['--data-dir', dataDir], { bundle, env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
  servers.push(server);
  return server;
}

/** Runs the bundle expecting it to exit by itself; resolves with its code and output. */
function runToExit(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bundle, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QMP_MONITOR_RENDERER_DIR: rendererDir } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 20 s; stdout: ${stdout}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One request over the bridge. */
async function call(server: TestWebServer, method: string): Promise<unknown> {
  const ws = new WebSocket(server.bridgeUrl, { origin: server.origin });
  const messages: { t?: string; id?: number; result?: unknown }[] = [];
  ws.on('message', (m: Buffer, isBinary) => messages.push(readBridgeMessage(m, isBinary) as (typeof messages)[number]));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ t: 'req', id: 1, method, params: {} }));
  await waitFor(() => messages.some((m) => m.t === 'res' && m.id === 1), `${method} reply`);
  ws.close();
  return messages.find((m) => m.t === 'res' && m.id === 1)!.result;
}

describe('npm run web and its data folder', () => {
  it('starts on a read-only data folder and says saving is disabled, with the reason', async () => {
    const dataDir = tempDir();
    makeUnwritable(dataDir);
    const server = await serve(dataDir);
    const info = (await call(server, 'getAppInfo')) as { notices: string[] };
    expect(info.notices).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Saving is disabled: the data folder ${dataDir} cannot be written \\(${UNWRITABLE_REASON.source}`))]));
    expect(server.stderr()).toBe('');
    // Its lock lives in the temp folder (the data folder cannot hold it) and goes on SIGTERM.
    const heldInTmp = () => readdirSync(tmpdir()).filter((f) => /^qmp-monitor-.*\.lock$/.test(f) && readFileSync(join(tmpdir(), f), 'utf8').trim() === String(server.pid));
    expect(heldInTmp()).toHaveLength(1);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(heldInTmp()).toEqual([]);
  });

  it('exits 1 with one line, not an errno, when the data folder is a file', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const run = await runToExit(['--data-dir', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`qmp-monitor web: the data folder ${file} is a file, not a folder; pick another with --data-dir\n`);
  });

  it('refuses a second server on a folder in use, naming the PID and command holding it', async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir);
    const second = await runToExit(['--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    const lines = second.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^qmp-monitor web: the data folder ${dataDir} is in use by another QMP Monitor \\(pid ${first.pid}, \\S*node \\S*web\\.cjs `));
    // The first one is untouched and still holds the folder.
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(first.pid));
    await first.stop();
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
  });

  it('takes over the lock left by a server that was SIGKILLed', async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir);
    expect(await first.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(first.pid));
    const second = await serve(dataDir);
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(second.pid));
  });
});
