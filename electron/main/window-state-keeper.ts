/**
 * Saves the window's bounds while it moves and when it closes.
 *
 * Moves and resizes arrive in bursts, so saving is debounced; the close handler saves at
 * once so the last position survives a normal quit. Normal (un-maximised) bounds are stored,
 * so restoring a maximised window later returns it to where it was before maximising.
 */
import type { Rect, WindowState } from './window-state';

/** The parts of BrowserWindow the keeper reads. */
export interface TrackableWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

/** Delay after the last move/resize before writing. */
export const SAVE_DEBOUNCE_MS = 400;

/** Starts tracking; `save` failures go to `log` and never reach the window. */
export function keepWindowState(
  win: TrackableWindow,
  save: (state: WindowState) => Promise<void>,
  log: (message: string) => void,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    save(state).catch((error: unknown) => log(`could not save window state: ${String(error)}`));
  };
  const saveSoon = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(saveNow, SAVE_DEBOUNCE_MS);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('close', saveNow);
}
