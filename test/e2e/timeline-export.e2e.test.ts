/**
 * Exporting many timeline rows in real Chromium through `npm run web`: the page keeps
 * rendering frames while the file is built (a progress bar, named, shows how far it got), the
 * download holds exactly the events shown, and Cancel stops an export without a download.
 *
 * The rows come from a fake QMP peer (test/support/fake-qmp-server.ts), because real QEMU
 * cannot be made to emit 60,000 events on demand; the rest of the path is the real one.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, parseJsonLossless, stringifyJsonLossless, type JsonObject } from '../../electron/common/json-text';
import { startAppSession, type AppSession } from '../support/app-session';
import { startFakeQmpServer, type FakeQmpServer } from '../support/fake-qmp-server';
import { addConnection, UI_TIMEOUT, vmOption, waitForText } from './app-page';

const ROWS = 60_000;
const VM_NAME = 'export <vm>';
/** Reaching the page: the events cross the core, its push batching and the bridge. */
const ROWS_TIMEOUT = 120_000;

/** The `index`-th event the fake sends, as QEMU would write it. */
function sentEvent(index: number): { timestamp: { seconds: number; microseconds: number }; event: string; data: Record<string, unknown> } {
  const timestamp = { seconds: 1_764_000_000 + Math.floor(index / 1000), microseconds: (index % 1000) * 1000 };
  return index % 2 === 0
    ? { timestamp, event: 'BLOCK_JOB_COMPLETED', data: { device: `drive${index}`, len: 1048576, offset: index, speed: 0, type: 'backup' } }
    : { timestamp, event: 'DEVICE_DELETED', data: { device: `vblk${index}`, path: `/machine/peripheral/vblk${index}` } };
}

/** The few DOM members the in-page functions use, typed by hand (this file is type-checked for Node). */
type PageElement = { textContent: string | null; click(): void };
type FrameGlobals = {
  requestAnimationFrame(callback: (time: number) => void): number;
  performance: { now(): number };
  document: { body: unknown; querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: { childList: boolean; subtree: boolean }): void; disconnect(): void };
  __frames?: { times: number[]; running: boolean };
  __progressSeen?: boolean;
};

/** Notes in the page whether the named progress bar ever appears (an export may finish between two polls from here). */
async function watchForProgress(page: Page, label: string): Promise<void> {
  await page.evaluate((name: string) => {
    const globals = globalThis as unknown as FrameGlobals;
    globals.__progressSeen = false;
    const observer = new globals.MutationObserver(() => {
      if (globals.document.querySelector(`progress[aria-label="${name}"]`) === null) return;
      globals.__progressSeen = true;
      observer.disconnect();
    });
    observer.observe(globals.document.body, { childList: true, subtree: true });
  }, label);
}

/** Starts recording animation-frame times in the page. */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const globals = globalThis as unknown as FrameGlobals;
    const frames = { times: [] as number[], running: true };
    globals.__frames = frames;
    const frame = (): void => {
      if (!frames.running) return;
      frames.times.push(globals.performance.now());
      globals.requestAnimationFrame(frame);
    };
    globals.requestAnimationFrame(frame);
  });
}

/** Stops recording; returns the frame times and the page's clock now. */
async function stopFrames(page: Page): Promise<{ times: number[]; now: number }> {
  return page.evaluate(() => {
    const globals = globalThis as unknown as FrameGlobals;
    const frames = globals.__frames!;
    frames.running = false;
    return { times: frames.times, now: globals.performance.now() };
  });
}

describe('exporting many timeline rows', () => {
  let session: AppSession;
  let fake: FakeQmpServer;

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1280, height: 800 } });
    fake = await startFakeQmpServer({
      onCommand: (command, connection) => {
        if (command.execute === 'query-name') void connection.reply(command, { name: VM_NAME });
        else if (command.execute === 'query-status') void connection.reply(command, { status: 'running', singlestep: false, running: true });
        else void connection.send({ id: command.id, error: { class: 'CommandNotFound', desc: `The command ${command.execute} has not been found` } });
      },
    });
    const { page } = session;
    await addConnection(page, fake.path);
    await vmOption(page, VM_NAME).waitFor({ timeout: UI_TIMEOUT });
    const connection = await fake.nextConnection();
    const lines: string[] = [];
    for (let index = 0; index < ROWS; index++) lines.push(`${JSON.stringify(sentEvent(index))}\r\n`);
    await connection.write(lines.join(''));
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('switch', { name: 'Show app markers' }).uncheck();
    await waitForText(page.getByText(/^[\d,]+ of [\d,]+ events/), new RegExp(`^${ROWS.toLocaleString('en-US')} of `), ROWS_TIMEOUT);
  }, ROWS_TIMEOUT + 90_000);

  afterAll(async () => {
    await session?.close();
    await fake?.close();
  });

  it('keeps rendering frames while it builds the file, shows its progress, and the file holds exactly the events shown', async () => {
    const { page } = session;
    await startFrames(page);
    const clickedAt = await page.evaluate(() => (globalThis as unknown as FrameGlobals).performance.now());
    await watchForProgress(page, 'Exporting JSON Lines');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: ROWS_TIMEOUT }), page.getByRole('button', { name: 'Export JSON Lines' }).click()]);
    const { times, now } = await stopFrames(page);
    expect(await page.evaluate(() => (globalThis as unknown as FrameGlobals).__progressSeen)).toBe(true);
    // The page went on rendering through the export: frames kept coming, none waited for the whole file.
    const during = times.filter((time) => time >= clickedAt);
    const gaps = during.slice(1).map((time, index) => time - during[index]!);
    const seen = `${during.length} frames in ${(now - clickedAt).toFixed(0)} ms, longest gap ${Math.max(...gaps).toFixed(0)} ms`;
    expect(during.length, seen).toBeGreaterThanOrEqual(4);
    expect(Math.max(...gaps), seen).toBeLessThan((now - clickedAt) / 2);
    await page.getByRole('progressbar', { name: /^Exporting / }).waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    const records = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => parseJsonLossless(line))
      .filter((record): record is JsonObject => isJsonObject(record));
    expect(records).toHaveLength(ROWS);
    // One comparison for the whole file (an expect per row would take longer than the export).
    const seqs = records.map((record) => record['seq'] as number);
    expect(seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!)).toBe(true);
    const read = records.map((record) => ({ event: record['event'], timestamp: record['timestamp'], data: stringifyJsonLossless(record['data']!), vm: record['vm'] }));
    const shown = Array.from({ length: ROWS }, (_, index) => {
      const sent = sentEvent(index);
      return { event: sent.event, timestamp: sent.timestamp, data: JSON.stringify(sent.data), vm: VM_NAME };
    });
    expect(read).toEqual(shown);
    expect(session.browser.errors).toEqual([]);
  }, ROWS_TIMEOUT + 60_000);

  it('cancels an export: the progress goes, no file is offered, and the next export still works', async () => {
    const { page } = session;
    const downloads: Download[] = [];
    page.on('download', (download) => downloads.push(download));
    // Cancel is pressed in the page the moment it appears: from here it could come after the end.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const { document, MutationObserver } = globalThis as unknown as FrameGlobals;
          const button = (text: string) => Array.from(document.querySelectorAll('button')).find((candidate) => candidate.textContent === text);
          const observer = new MutationObserver(() => {
            const cancel = button('Cancel export');
            if (!cancel) return;
            observer.disconnect();
            cancel.click();
            resolve();
          });
          observer.observe(document.body, { childList: true, subtree: true });
          button('Export CSV')!.click();
        }),
    );
    await page.getByRole('progressbar', { name: /^Exporting / }).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await page.getByRole('button', { name: 'Export CSV' }).isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: ROWS_TIMEOUT }), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^qmp-events-\d{8}-\d{6}\.csv$/);
    const rows = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(rows[0]).toBe('seq,time,vm,event,kind,summary,data');
    expect(rows).toHaveLength(ROWS + 2);
    expect(downloads).toHaveLength(1);
    expect(session.browser.errors).toEqual([]);
  }, ROWS_TIMEOUT + 60_000);
});
