import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../electron/main/app-origin';
import { TrustedSenders } from '../../../electron/main/sender-guard';
import { createMainWindow, focusWindow } from '../../../electron/main/window';
import { buildWindowOptions } from '../../../electron/main/window-options';
import { electronMock, resetElectronMock } from '../../support/electron-mock';
// Removed after the file by test/support/remove-temp-dirs.ts.
import { makeTempDir } from '../../support/temp-dirs';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

async function openWindow(dataDir = makeTempDir('qmp-window-')) {
  const trusted = new TrustedSenders();
  const logs: string[] = [];
  const win = await createMainWindow({
    entryUrl: APP_ENTRY_URL,
    preloadPath: '/app/out/preload/index.cjs',
    dataDir,
    trusted,
    log: (message) => logs.push(message),
  });
  const mock = electronMock.BrowserWindow.instances.at(-1)!;
  expect(win).toBe(mock);
  return { mock, trusted, logs };
}

describe('the app window', () => {
  beforeEach(() => resetElectronMock());

  it('is created with every isolation switch on and the single-file preload', async () => {
    const { mock } = await openWindow();
    expect(mock.options['webPreferences']).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(mock.options).toMatchObject({ show: false, title: 'QMP Monitor', minWidth: 640, minHeight: 400 });
    expect(mock.loadedUrl).toBe(APP_ENTRY_URL);
  });

  it('trusts its webContents, and leaves navigation to the app-wide web-contents-created hook', async () => {
    const { mock, trusted } = await openWindow();
    expect(trusted.has(mock.webContents as never)).toBe(true);
    // The policy is applied once, by index.ts for every WebContents, not a second time here.
    expect(mock.webContents.listenerCount('will-navigate')).toBe(0);
    expect(mock.webContents.windowOpenHandler).toBeUndefined();
    mock.webContents.destroy();
    expect(trusted.has(mock.webContents as never)).toBe(false);
  });

  it('opens centred on first start and at the remembered place afterwards', async () => {
    electronMock.screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    const first = await openWindow();
    expect(first.mock.options).toMatchObject({ x: 320, y: 140, width: 1280, height: 800 });
    const dataDir = makeTempDir('qmp-window-');
    await writeFile(join(dataDir, 'window-state.json'), JSON.stringify({ bounds: { x: 50, y: 60, width: 900, height: 600 }, maximized: false }));
    const second = await openWindow(dataDir);
    expect(second.mock.options).toMatchObject({ x: 50, y: 60, width: 900, height: 600 });
    second.mock.emit('ready-to-show');
    expect(second.mock.shown).toBe(true);
    expect(second.mock.maximized).toBe(false);
  });

  it('focusWindow restores a minimised window and ignores a missing one', async () => {
    const { mock } = await openWindow();
    mock.minimized = true;
    focusWindow(mock as never);
    expect([mock.minimized, mock.shown, mock.focused]).toEqual([false, true, true]);
    expect(() => focusWindow(null)).not.toThrow();
  });

  it('buildWindowOptions carries bounds and limits only', () => {
    const options = buildWindowOptions({ x: 1, y: 2, width: 700, height: 500 });
    expect(options).toMatchObject({ x: 1, y: 2, width: 700, height: 500, show: false });
    expect(options).not.toHaveProperty('webPreferences');
  });
});
