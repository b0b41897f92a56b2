import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  fitToDisplays,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  windowStatePath,
  type Rect,
  type WindowState,
} from '../../../electron/main/window-state';
import { keepWindowState, SAVE_DEBOUNCE_MS } from '../../../electron/main/window-state-keeper';
import { MockBrowserWindow } from '../../support/electron-mock';
import { makeTempDir, waitFor } from '../../support/qemu';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: -200, width: 2560, height: 1400 };

function state(x: number, y: number, width: number, height: number, maximized = false): WindowState {
  return { bounds: { x, y, width, height }, maximized };
}

describe('window state validation', () => {
  it('accepts a well-formed state and rejects anything else', () => {
    expect(parseWindowState({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true })).toEqual(
      state(1, 2, 800, 600, true),
    );
    expect(parseWindowState({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: 'yes' })?.maximized).toBe(false);
    for (const bad of [
      null,
      42,
      'x',
      [],
      {},
      { bounds: null },
      { bounds: { x: 0, y: 0, width: 0, height: 600 } },
      { bounds: { x: 0, y: 0, width: -5, height: 600 } },
      { bounds: { x: '0', y: 0, width: 800, height: 600 } },
      { bounds: { x: Number.NaN, y: 0, width: 800, height: 600 } },
      { bounds: { x: 1e9, y: 0, width: 800, height: 600 } },
      { bounds: { x: 0, y: 0, width: Infinity, height: 600 } },
      { bounds: { x: 0, y: 0, width: 800 } },
    ]) {
      expect(parseWindowState(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('fitting to displays', () => {
  it('centres the default size on the primary display on first start', () => {
    const fitted = fitToDisplays(null, [laptop], laptop);
    expect(fitted.bounds).toEqual({ x: 320, y: 125, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height });
  });

  it('keeps a window that fits where it was, on a secondary display too', () => {
    expect(fitToDisplays(state(100, 50, 900, 700), [laptop, rightMonitor], laptop)).toEqual(state(100, 50, 900, 700));
    expect(fitToDisplays(state(2000, -100, 1200, 900, true), [laptop, rightMonitor], laptop)).toEqual(
      state(2000, -100, 1200, 900, true),
    );
  });

  it('pulls a half-off-screen window fully onto the display it overlaps most', () => {
    expect(fitToDisplays(state(1500, 900, 1000, 800), [laptop], laptop).bounds).toEqual({ x: 920, y: 250, width: 1000, height: 800 });
    expect(fitToDisplays(state(-300, -40, 800, 600), [laptop], laptop).bounds).toEqual({ x: 0, y: 0, width: 800, height: 600 });
  });

  it('re-centres a window left on an unplugged monitor, keeping maximised', () => {
    const fitted = fitToDisplays(state(2200, 100, 1000, 700, true), [laptop], laptop);
    expect(fitted.bounds).toEqual({ x: 320, y: 125, width: 1280, height: 800 });
    expect(fitted.maximized).toBe(true);
  });

  it('shrinks an oversized window to the work area and grows a tiny one to the minimum', () => {
    expect(fitToDisplays(state(0, 0, 5000, 4000), [laptop], laptop).bounds).toEqual(laptop);
    expect(fitToDisplays(state(10, 10, 50, 20), [laptop], laptop).bounds).toEqual({ x: 10, y: 10, ...MIN_SIZE });
    const tiny: Rect = { x: 0, y: 0, width: 500, height: 300 };
    expect(fitToDisplays(state(0, 0, 1000, 1000), [tiny], tiny).bounds).toEqual(tiny);
  });
});

describe('window state file', () => {
  it('round-trips through the file and leaves no temp files behind', async () => {
    const dir = makeTempDir();
    const file = windowStatePath(dir);
    expect(await loadWindowState(file)).toBeNull();
    await saveWindowState(file, state(5, 6, 700, 500, true));
    expect(await loadWindowState(file)).toEqual(state(5, 6, 700, 500, true));
    await saveWindowState(file, state(7, 8, 900, 600));
    expect(await loadWindowState(file)).toEqual(state(7, 8, 900, 600));
    expect(await readdir(dir)).toEqual(['window-state.json']);
  });

  it('treats a corrupt or half-written file as no state', async () => {
    const dir = makeTempDir();
    const file = windowStatePath(dir);
    for (const text of ['', '{"bounds": {"x": 1, "y"', 'null', '{"bounds":{"x":0,"y":0,"width":"wide","height":1}}']) {
      await writeFile(file, text);
      expect(await loadWindowState(file), text).toBeNull();
    }
  });

  it('reports a failed write without leaving a temp file or touching the old state', async () => {
    const dir = makeTempDir();
    const file = windowStatePath(dir);
    // A directory where the file should be makes the final rename fail (also when running as root).
    await mkdir(file);
    await expect(saveWindowState(file, state(1, 1, 700, 500))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['window-state.json']);
    expect(await loadWindowState(file)).toBeNull();
  });
});

describe('window state keeper', () => {
  it('saves once after a burst of moves and immediately on close', async () => {
    const win = new MockBrowserWindow({ x: 0, y: 0, width: 800, height: 600 });
    const saved: WindowState[] = [];
    keepWindowState(win, async (next) => void saved.push(next), () => undefined);
    for (let i = 0; i < 20; i += 1) {
      win.bounds = { ...win.bounds, x: i };
      win.emit('move');
    }
    await waitFor(() => saved.length === 1, 'debounced save', SAVE_DEBOUNCE_MS * 10);
    expect(saved[0]).toEqual(state(19, 0, 800, 600));
    win.maximized = true;
    win.emit('close');
    expect(saved).toHaveLength(2);
    expect(saved[1]?.maximized).toBe(true);
  });
});
