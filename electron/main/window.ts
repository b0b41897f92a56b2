/**
 * Creates the one app window (Electron shell: options and policy come from Electron-free
 * modules, this file only wires them to BrowserWindow).
 */
import { BrowserWindow, screen } from 'electron';
import type { TrustedSenders } from './sender-guard';
import { buildWindowOptions } from './window-options';
import { fitToDisplays, loadWindowState, saveWindowState, windowStatePath } from './window-state';
import { keepWindowState } from './window-state-keeper';

/** What the window needs from the app. */
export interface MainWindowOptions {
  readonly entryUrl: string;
  readonly preloadPath: string;
  readonly dataDir: string;
  readonly trusted: TrustedSenders;
  readonly log: (message: string) => void;
}

/** Opens the window at its remembered place and loads the renderer. */
export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const stateFile = windowStatePath(options.dataDir);
  const saved = await loadWindowState(stateFile);
  const state = fitToDisplays(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  // webPreferences are written out here, not spread from a helper, so scanners such as
  // electronegativity (which read the literal at the constructor) can verify them.
  const win = new BrowserWindow({
    ...buildWindowOptions(state.bounds),
    webPreferences: {
      preload: options.preloadPath,
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
      // Middle-click would otherwise try to open links in new windows (denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // Trust is granted before any page loads, so the first IPC call already passes the guard.
  // (Navigation is locked by index.ts's 'web-contents-created' hook, for every WebContents.)
  options.trusted.add(win.webContents);
  keepWindowState(win, (next) => saveWindowState(stateFile, next), options.log);
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.webContents.on('render-process-gone', (_event, details) => options.log(`renderer gone: ${details.reason}`));
  await win.loadURL(options.entryUrl);
  return win;
}

/** Brings an existing window to the front (second launch). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
