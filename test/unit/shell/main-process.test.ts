import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../electron/main/app-origin';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp';
import type { InvokeEventLike } from '../../../electron/main/sender-guard';
import { electronMock, resetElectronMock, type MockBrowserWindow } from '../../support/electron-mock';
import { killAllQemu, makeTempDir, startQemu, waitFor, type TestQemu } from '../../support/qemu';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

const savedArgv = process.argv;
let qemu: TestQemu | undefined;
/** The demo VM a test made the app start; killed by PID after the test whatever happened. */
let demoPid = 0;

/** Runs electron/main/index.ts as a fresh main process with the given command line. */
async function launch(args: string[]): Promise<void> {
  process.argv = ['/opt/qmp-monitor/qmp-monitor', ...args];
  vi.resetModules();
  await import('../../../electron/main/index');
}

function appWindow(): MockBrowserWindow {
  const win = electronMock.BrowserWindow.instances[0];
  if (!win) throw new Error('no window yet');
  return win;
}

async function invoke(name: string, params: unknown, event?: InvokeEventLike): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  const handler = electronMock.ipcMain.handlers.get(`qmp:${name}`) as (e: InvokeEventLike, p: unknown) => Promise<never>;
  const contents = appWindow().webContents;
  return handler(event ?? { sender: contents, senderFrame: contents.mainFrame }, params);
}

/** Fires window-all-closed and waits until the service is disposed and quit is called. */
async function closeApp(): Promise<void> {
  const quitsBefore = electronMock.app.quitCalls;
  electronMock.app.emit('window-all-closed');
  await waitFor(() => electronMock.app.quitCalls > quitsBefore, 'app.quit after dispose', 20_000);
}

describe('main process lifecycle (electron mocked, real core, real QEMU)', () => {
  beforeEach(() => resetElectronMock());
  afterEach(async () => {
    process.argv = savedArgv;
    await qemu?.kill();
    qemu = undefined;
    if (demoPid > 0) {
      try {
        process.kill(demoPid, 'SIGKILL');
      } catch {
        // Already gone: the app stopped it, as it should.
      }
      demoPid = 0;
    }
  });
  afterAll(() => killAllQemu());

  it('starts hardened, serves requests from its window, forwards pushes and disposes on close', async () => {
    qemu = await startQemu({ machine: 'none' });
    const dataDir = makeTempDir('qmp-shell-');
    await launch(['--data-dir', dataDir, '--connect', qemu.target, '--ignored-chromium-switch']);

    await waitFor(() => electronMock.BrowserWindow.instances[0]?.loadedUrl !== undefined, 'the window to load');
    const app = electronMock.app;
    expect(app.sandboxEnabled).toBe(true);
    expect(app.getPath('userData')).toBe(dataDir);
    expect(app.lockData).toEqual({ connect: [qemu.target] });
    expect(electronMock.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(electronMock.protocol.handlers.has('app')).toBe(true);
    expect(electronMock.session.defaultSession.permissionCheckHandler).toBeDefined();
    expect(electronMock.session.defaultSession.headersListener).toBeDefined();
    expect(electronMock.Menu.applied).toBeDefined();

    const win = appWindow();
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String(prefs['preload'])).toMatch(/preload[\\/]index\.cjs$/);
    // Electron emits web-contents-created for every WebContents; the app applies the
    // navigation policy there, and only there (one listener per event, not two).
    app.emit('web-contents-created', {}, win.webContents);
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
    expect(win.webContents.listenerCount('will-redirect')).toBe(1);
    expect(win.webContents.listenerCount('will-attach-webview')).toBe(1);
    expect(win.webContents.fireCancellable('will-navigate', 'https://example.com/')).toBe(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    // The renderer's first call: the --connect VM is there and becomes ready over real QMP.
    await waitFor(async () => {
      const reply = await invoke('listVms', {});
      const vms = reply.result as Array<{ connection: { phase: string }; config: { target: string } }>;
      return reply.ok && vms.length === 1 && vms[0]?.connection.phase === 'ready';
    }, 'the --connect VM to be ready', 20_000);
    await waitFor(() => win.webContents.sent.some((s) => s.channel === 'qmp:push:vmChanged'), 'a vmChanged push');

    // Untrusted senders and bad payloads never reach the service.
    const stranger = new electronMock.BrowserWindow({}).webContents;
    expect(await invoke('listVms', {}, { sender: stranger, senderFrame: stranger.mainFrame })).toEqual({
      ok: false,
      error: 'request refused: untrusted sender',
    });
    expect((await invoke('addVm', { target: 5 })).error).toMatch(/^invalid addVm request at target/);
    expect((await invoke('listVms', {})).result).toHaveLength(1);

    // The app:// handler serves the built renderer with the CSP header (when built).
    const served = await electronMock.protocol.handlers.get('app')!(new Request('app://qmp-monitor/no-such-file.js'));
    expect(served.status).toBe(404);
    expect(served.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    // A second launch focuses the window and adds its own targets.
    win.minimized = true;
    const second = await startQemu({ machine: 'none' });
    app.emit('second-instance', {}, [], '/', { connect: [second.target, qemu.target] });
    expect(win.focused).toBe(true);
    expect(win.minimized).toBe(false);
    await waitFor(async () => ((await invoke('listVms', {})).result as unknown[]).length === 2, 'the forwarded VM');

    win.bounds = { x: 40, y: 30, width: 1000, height: 700 };
    win.emit('close');
    await closeApp();
    await second.kill();
    const stored = JSON.parse(await readFile(join(dataDir, 'window-state.json'), 'utf8')) as unknown;
    expect(stored).toEqual({ bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: false });
  });

  it('reopens the window where it was left', async () => {
    const dataDir = makeTempDir('qmp-shell-');
    await (await import('node:fs/promises')).writeFile(
      join(dataDir, 'window-state.json'),
      JSON.stringify({ bounds: { x: 100, y: 80, width: 900, height: 650 }, maximized: true }),
    );
    await launch(['--data-dir', dataDir]);
    await waitFor(() => electronMock.BrowserWindow.instances[0]?.loadedUrl !== undefined, 'the window to load');
    const win = appWindow();
    expect(win.options).toMatchObject({ x: 100, y: 80, width: 900, height: 650 });
    win.emit('ready-to-show');
    expect(win.maximized).toBe(true);
    expect(win.shown).toBe(true);
    await closeApp();
  });

  it('stops the demo VM and exits 1 when start-up fails after the service started', async () => {
    let failLoad: (error: Error) => void = () => undefined;
    electronMock.BrowserWindow.loadGate = new Promise<void>((_resolve, reject) => (failLoad = reject));
    await launch(['--data-dir', makeTempDir('qmp-shell-'), '--demo']);
    await waitFor(() => electronMock.BrowserWindow.instances.length === 1, 'the window');
    await waitFor(async () => {
      const demo = (await invoke('getDemo', {})).result as { status: string; pid?: number };
      demoPid = demo.pid ?? 0;
      return demo.status === 'running' && demoPid > 0;
    }, 'the demo VM', 20_000);
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    try {
      failLoad(new Error('ERR_FILE_NOT_FOUND (-6) loading app://qmp-monitor/index.html'));
      await waitFor(() => electronMock.app.exitCodes.length > 0, 'exit after the failed start', 20_000);
    } finally {
      spy.mockRestore();
    }
    expect(electronMock.app.exitCodes).toEqual([1]);
    expect(electronMock.dialog.errors).toEqual([
      { title: 'QMP Monitor could not start', content: 'ERR_FILE_NOT_FOUND (-6) loading app://qmp-monitor/index.html' },
    ]);
    expect(errors.join('\n')).toContain('start-up failed');
    expect(() => process.kill(demoPid, 0)).toThrow();
  });

  it('hands its targets to the running instance and quits when the lock is taken', async () => {
    electronMock.app.lockGranted = false;
    await launch(['--connect', 'relative/dir/qmp.sock', '--connect', 'localhost:4444']);
    expect(electronMock.app.lockData).toEqual({ connect: [`unix:${join(process.cwd(), 'relative/dir/qmp.sock')}`, 'localhost:4444'] });
    expect(electronMock.app.quitCalls).toBe(1);
    expect(electronMock.BrowserWindow.instances).toHaveLength(0);
    expect(electronMock.ipcMain.handlers.size).toBe(0);
  });

  it('refuses a bad command line with exit code 2 before doing anything', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    try {
      await launch(['--connect', 'no-port-here']);
    } finally {
      spy.mockRestore();
    }
    expect(electronMock.app.exitCodes).toEqual([2]);
    expect(errors.join('\n')).toMatch(/qmp-monitor: --connect: QMP target 'no-port-here'/);
    expect(electronMock.app.lockData).toBeUndefined();
  });
});
