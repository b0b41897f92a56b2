/**
 * The e2e suite's screenshots, taken the same way by every file: each view at 800×600 and
 * 1600×1000, light and dark, into docs/ on request (`UPDATE_SCREENSHOTS=1`, the README's
 * pictures) and into test/artifacts otherwise, so an ordinary run never changes the docs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** Where screenshots go: docs/ with `UPDATE_SCREENSHOTS=1`, else test/artifacts. */
export const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(__dirname, '../../docs') : resolve(__dirname, '../artifacts');

/** The sizes every view is shown at: the smallest window the layout supports, and a large one. */
export const SHOT_SIZES = [
  { width: 800, height: 600 },
  { width: 1600, height: 1000 },
] as const;

/** One size and theme of {@link shootSizesAndThemes}. */
export interface ShotLook {
  readonly size: { readonly width: number; readonly height: number };
  readonly colorScheme: 'light' | 'dark';
}

/** What a file does around each shot. */
export interface ShotSteps {
  /** After the size and theme are set: wait for (and check) what the shot must show. */
  readonly prepare?: (look: ShotLook) => Promise<void>;
  /** After the shot (e.g. close a popup the next size would not expect). */
  readonly after?: (look: ShotLook) => Promise<void>;
}

/**
 * For each size and then each theme: sets them, runs `prepare`, and writes
 * `SHOTS/NAME-WxH-THEME.png`. The page is left at the last size and theme.
 */
export async function shootSizesAndThemes(page: Page, name: string, steps: ShotSteps = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of SHOT_SIZES) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const look = { size, colorScheme };
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme });
      await steps.prepare?.(look);
      await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}-${colorScheme}.png`) });
      await steps.after?.(look);
    }
  }
}

/** How far the page is wider than the window, px: 0 or less means no sideways scroll. */
export function pageOverflowX(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
