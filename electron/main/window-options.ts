/**
 * Non-security BrowserWindow options of the one app window (bounds, limits, title).
 *
 * The web preferences are deliberately not built here: `window.ts` writes them as a literal
 * at the `new BrowserWindow` call so reviewers and static scanners see every switch where
 * the window is created; the shell tests read them back from the mocked constructor.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { MIN_SIZE, type WindowBounds } from './window-state';

/** Constructor options without `webPreferences`. */
export function buildWindowOptions(bounds: WindowBounds): Omit<BrowserWindowConstructorOptions, 'webPreferences'> {
  return {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'QMP Monitor',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
  };
}
