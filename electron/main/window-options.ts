/**
 * BrowserWindow options for the one app window, kept free of Electron imports so tests can
 * check every security switch without the Electron binary.
 *
 * Most values equal Electron's secure defaults; they are spelled out anyway so a reviewer (and
 * electronegativity) sees them, and a future default change cannot loosen them silently.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowBounds } from './window-state';

/** Security-relevant web preferences of the app window. */
export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools: true,
  };
}

/** Full constructor options: remembered bounds plus the web preferences above. */
export function buildWindowOptions(bounds: WindowBounds, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 640,
    minHeight: 400,
    title: 'QMP Monitor',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: buildWebPreferences(preloadPath),
  };
}
