/**
 * Steps shared by the e2e tests, written the way a user works: by role and visible name only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** The built renderer the web server serves; e2e tests need `npm run build` first. */
export const RENDERER_INDEX = resolve(__dirname, '../../out/renderer/index.html');

/** Fails early with the fix when the renderer was not built. */
export function assertRendererBuilt(): void {
  if (!existsSync(RENDERER_INDEX)) throw new Error(`${RENDERER_INDEX} is missing: run \`npx electron-vite build\` (or npm run build) first`);
}

/** Generous waits: QEMU under TCG and Chromium share two cores with the other test worker. */
export const UI_TIMEOUT = 15_000;

/** Opens the app and waits for the sidebar. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Virtual machines' }).waitFor({ timeout: UI_TIMEOUT });
}

/** Adds a connection through the dialog, as a user would. */
export async function addConnection(page: Page, target: string, label = ''): Promise<void> {
  await page.getByRole('button', { name: 'Add connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add connection' });
  if (label) await dialog.getByLabel('Label').fill(label);
  await dialog.getByLabel('Socket path or HOST:PORT').fill(target);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
}

/** The value labelled `term` in the status panel (e.g. "Run state"). */
export function statusValue(page: Page, term: string): Locator {
  return page.getByRole('main').getByLabel(term, { exact: true });
}

/** The sidebar option of a VM, by its shown name. */
export function vmOption(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Virtual machines' }).getByRole('option', { name, exact: true });
}

/** A run-control button by its action name. */
export function actionButton(page: Page, name: string): Locator {
  return page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name, exact: true });
}

/**
 * Waits until `locator`'s text matches (whole text for a string), failing with what it showed.
 *
 * playwright-core has no retrying `expect`, so this is the one waiting assertion the tests use.
 */
export async function waitForText(locator: Locator, expected: string | RegExp, timeout = UI_TIMEOUT): Promise<void> {
  const pattern = typeof expected === 'string' ? new RegExp(`^\\s*${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : expected;
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ timeout });
  } catch (error) {
    const shown = await locator.allTextContents().catch(() => ['<unreadable>']);
    throw new Error(`waited ${timeout} ms for ${String(pattern)}; it showed ${JSON.stringify(shown)} (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
}
