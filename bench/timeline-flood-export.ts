/**
 * Exporting what a flood left in the page (1,000,000 rows) as JSON Lines through the real
 * control: how long until the download, and the frame intervals meanwhile, which show whether
 * the page kept rendering while the file was built (a one-go export froze it throughout).
 */
import { stat } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startFrameSampler, stopFrameSampler } from './timeline-page';

/** What one export measured. */
export interface ExportTiming {
  /** From the click to the download starting, ms. */
  readonly ms: number;
  readonly bytes: number;
  /** Frame intervals while exporting, ms. */
  readonly frames: number[];
}

/** Deadline for building the file. */
const EXPORT_TIMEOUT_MS = 180_000;

/** Clicks "Export JSON Lines" and waits for the download; see the module comment. */
export async function timeExport(page: Page): Promise<ExportTiming> {
  await startFrameSampler(page);
  const began = performance.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: EXPORT_TIMEOUT_MS }), page.getByRole('button', { name: 'Export JSON Lines' }).click()]);
  const ms = performance.now() - began;
  const frames = await stopFrameSampler(page);
  const path = await download.path();
  const { size } = await stat(path);
  await download.delete();
  return { ms, bytes: size, frames };
}
