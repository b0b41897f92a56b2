/**
 * Remembers the window's size and position in `<data dir>/window-state.json`.
 *
 * The file is untrusted input (hand edits, a crash mid-write on an old version, a monitor
 * that has since been unplugged), so it is validated and the bounds are clamped onto a
 * display that exists now. Writes go to a temp file and are renamed over the old one, so a
 * crash never leaves half a file behind. Electron-free: displays come in as plain rectangles.
 */
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A rectangle in screen coordinates (Electron's `Rectangle`). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where the window goes (always a concrete position, after clamping). */
export type WindowBounds = Rect;

/** What is persisted between runs. */
export interface WindowState {
  readonly bounds: WindowBounds;
  readonly maximized: boolean;
}

/** Size used on first start or when the saved state is unusable. */
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
/** Smallest size the layout works at (the window's minWidth/minHeight). */
export const MIN_SIZE = { width: 640, height: 400 } as const;
/** Name of the state file inside the data folder. */
export const WINDOW_STATE_FILE = 'window-state.json';
/** Largest coordinate accepted from the file; anything beyond is garbage, not a monitor. */
const MAX_COORDINATE = 100_000;

/** Path of the state file for a data folder. */
export function windowStatePath(dataDir: string): string {
  return join(dataDir, WINDOW_STATE_FILE);
}

/** Checks a parsed file; returns null unless every field is a sane finite number. */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const bounds = record['bounds'];
  if (typeof bounds !== 'object' || bounds === null) return null;
  const b = bounds as Record<string, unknown>;
  const x = b['x'];
  const y = b['y'];
  const width = b['width'];
  const height = b['height'];
  if (!isCoordinate(x) || !isCoordinate(y) || !isCoordinate(width) || !isCoordinate(height)) return null;
  if (width <= 0 || height <= 0) return null;
  return { bounds: { x, y, width, height }, maximized: record['maximized'] === true };
}

/**
 * Fits saved bounds onto the displays that exist now.
 *
 * The window stays on the display it overlaps most, shrunk to that display's work area and
 * moved fully inside it. If it overlaps no display (monitor unplugged), or there is no saved
 * state, it is centred on the primary display at the default size.
 */
export function fitToDisplays(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const host = saved ? largestOverlap(saved.bounds, workAreas) : null;
  if (!saved || !host) {
    const width = clampSize(DEFAULT_SIZE.width, primary.width, MIN_SIZE.width);
    const height = clampSize(DEFAULT_SIZE.height, primary.height, MIN_SIZE.height);
    const bounds = {
      x: primary.x + Math.floor((primary.width - width) / 2),
      y: primary.y + Math.floor((primary.height - height) / 2),
      width,
      height,
    };
    return { bounds, maximized: saved?.maximized ?? false };
  }
  const width = clampSize(saved.bounds.width, host.width, MIN_SIZE.width);
  const height = clampSize(saved.bounds.height, host.height, MIN_SIZE.height);
  const x = clamp(saved.bounds.x, host.x, host.x + host.width - width);
  const y = clamp(saved.bounds.y, host.y, host.y + host.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}

/** Reads the state file; a missing, unreadable or invalid file gives null (first-start layout). */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    return parseWindowState(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Writes the state atomically (temp file + rename in the same folder). */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORDINATE;
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function largestOverlap(bounds: Rect, areas: readonly Rect[]): Rect | null {
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of areas) {
    const overlap = overlapArea(bounds, area);
    if (overlap > bestArea) {
      best = area;
      bestArea = overlap;
    }
  }
  return best;
}

function clampSize(wanted: number, available: number, minimum: number): number {
  // A work area smaller than the minimum wins: the window must fit on screen.
  return Math.round(Math.max(Math.min(wanted, available), Math.min(minimum, available)));
}

function clamp(value: number, low: number, high: number): number {
  return Math.round(Math.min(Math.max(value, low), Math.max(low, high)));
}
