/**
 * The Timeline view against real QEMU (-M pc) in real Chromium through `npm run web`.
 *
 * The guest's QMP name holds markup, so every check of a row also checks that the name is
 * shown as text. The commands are sent the way a user sends them (the action buttons); the
 * rows must come back in order with QEMU's own timestamps, the filters must narrow them, and
 * the JSON Lines export must read back as exactly the events the list shows.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, parseJsonLossless, type JsonObject } from '../../electron/common/json-text';
import { startAppSession, type AppSession } from '../support/app-session';
import { pageOverflowX, shootSizesAndThemes } from '../support/screenshots';
import { actionButton, addConnection, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

const MARKUP_NAME = '<img src=x onerror=alert(1)>';

/** The timeline's rows (only those rendered: the list is virtualised, and short here). */
const rows = (page: Page): Locator => page.getByRole('listbox', { name: /Timeline events/ }).getByRole('option');

/** The event names of the rows shown, top to bottom (each row's name starts "NAME on VM,"). */
async function shownNames(page: Page): Promise<string[]> {
  const labels = await rows(page).evaluateAll((options) => options.map((option) => option.getAttribute('aria-label') ?? ''));
  return labels.map((label) => label.split(' on ')[0]!);
}

/** Waits until the rows shown are exactly `names`, in order (checked in the page on each frame). */
async function waitForNames(page: Page, names: readonly string[]): Promise<void> {
  try {
    // Run in the page; this file is type-checked for Node, so the DOM is typed by hand here.
    // (A string predicate would need eval, which the app's CSP rightly refuses.)
    type PageDocument = { querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }> };
    await page.waitForFunction(
      (expected: string) => {
        const { document } = globalThis as unknown as { document: PageDocument };
        const options = Array.from(document.querySelectorAll('[role="listbox"][aria-label^="Timeline events"] [role="option"]'));
        return JSON.stringify(options.map((option) => (option.getAttribute('aria-label') ?? '').split(' on ')[0])) === expected;
      },
      JSON.stringify(names),
      { timeout: UI_TIMEOUT },
    );
  } catch (error) {
    throw new Error(`timeline showed ${JSON.stringify(await shownNames(page))}, expected ${JSON.stringify(names)}`, { cause: error });
  }
}

describe('the event timeline', () => {
  let session: AppSession;
  const dialogs: string[] = [];

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
    session.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 90_000);

  afterAll(async () => {
    await session?.close();
  });

  let qemuOfTest: { kill(): Promise<void> } | undefined;

  it('shows cont, stop and system_reset as rows in order, with QEMU’s timestamps and the VM name as text', async () => {
    const { page } = session;
    const startedAt = Date.now();
    const qemu = await session.startQemu({ machine: 'pc', name: `guest=${MARKUP_NAME}`, paused: true });
    qemuOfTest = qemu;
    await addConnection(page, qemu.socketPath!);
    await vmOption(page, MARKUP_NAME).waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await actionButton(page, 'Resume').click();
    await waitForText(statusValue(page, 'Run state'), 'running');
    await actionButton(page, 'Pause').click();
    await waitForText(statusValue(page, 'Run state'), 'paused');
    await actionButton(page, 'Reset').click();
    await page.getByRole('dialog', { name: /^Reset / }).getByRole('button', { name: 'Reset', exact: true }).click();

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('switch', { name: 'Show app markers' }).uncheck();
    await waitForNames(page, ['RESUME', 'STOP', 'RESET']);
    const labels = await rows(page).evaluateAll((options) => options.map((option) => option.getAttribute('aria-label') ?? ''));
    for (const label of labels) expect(label).toContain(` on ${MARKUP_NAME},`);
    expect(await rows(page).first().textContent()).toContain(MARKUP_NAME);
    expect(await rows(page).last().textContent()).toContain('host-qmp-system-reset');
    expect(await rows(page).first().textContent()).toContain('run state');
    // QEMU's clock: exact seconds.microseconds on hover, ascending, and from this run.
    const titles = await rows(page).getByTitle(/^QEMU time /).evaluateAll((spans) => spans.map((span) => span.getAttribute('title') ?? ''));
    const stamps = titles.map((title) => Number(/^QEMU time (\d+\.\d{6})/.exec(title)![1]));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps[0]! * 1000).toBeGreaterThan(startedAt - 60_000);
    expect(stamps[2]! * 1000).toBeLessThan(Date.now() + 60_000);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(session.browser.errors).toEqual([]);
  });

  it('narrows the list by free text and by event name, and clears both in one action', async () => {
    const { page } = session;
    const search = page.getByRole('searchbox', { name: 'Filter events' });
    await search.fill('system-reset');
    await waitForNames(page, ['RESET']);
    await waitForText(page.getByText(/^\d+ of \d+ events/), /^1 of \d+ events/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect(await search.inputValue()).toBe('');
    await waitForNames(page, ['RESUME', 'STOP', 'RESET']);

    await page.getByText('Event names', { exact: true }).click();
    await page.getByRole('group', { name: 'Event names' }).getByRole('checkbox', { name: /STOP/ }).check();
    await waitForNames(page, ['STOP']);
    await page.getByRole('list', { name: 'Active filters' }).getByText('event: STOP').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForNames(page, ['RESUME', 'STOP', 'RESET']);
    await page.getByText('Event names', { exact: true }).click();
    expect(session.browser.errors).toEqual([]);
  });

  it('exports what is shown as JSON Lines that read back as the same events', async () => {
    const { page } = session;
    const titles = await rows(page).getByTitle(/^QEMU time /).evaluateAll((spans) => spans.map((span) => span.getAttribute('title') ?? ''));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON Lines' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^qmp-events-\d{8}-\d{6}\.jsonl$/);
    const text = readFileSync(await download.path(), 'utf8');
    const records = text
      .trimEnd()
      .split('\n')
      .map((line) => parseJsonLossless(line))
      .filter((record): record is JsonObject => isJsonObject(record));
    expect(records.map((record) => record['event'])).toEqual(['RESUME', 'STOP', 'RESET']);
    records.forEach((record, index) => {
      expect(record['vm']).toBe(MARKUP_NAME);
      expect(typeof record['receivedAt']).toBe('number');
      const timestamp = record['timestamp'] as { seconds: number; microseconds: number };
      const exact = `${timestamp.seconds}.${String(timestamp.microseconds).padStart(6, '0')}`;
      expect(titles[index]).toContain(`QEMU time ${exact} `);
    });
    expect((records[2]!['data'] as JsonObject)['reason']).toBe('host-qmp-system-reset');
    expect(session.browser.errors).toEqual([]);
  });

  it('takes screenshots of the timeline at 800×600 and 1600×1000, light and dark', async () => {
    const { page } = session;
    await page.getByRole('switch', { name: 'Show app markers' }).check();
    await shootSizesAndThemes(page, 'timeline', {
      prepare: async () => {
        await rows(page).first().waitFor();
        expect(await pageOverflowX(page)).toBeLessThanOrEqual(0);
        await page.mouse.move(0, 0);
      },
    });
    expect(session.browser.errors).toEqual([]);
  });

  it('interleaves the app’s markers, and shows a disconnect with its reason when QEMU is killed', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByRole('searchbox', { name: 'Filter events' }).fill('');
    await qemuOfTest!.kill();
    const disconnected = rows(page).filter({ hasText: 'disconnected' }).last();
    await disconnected.waitFor({ timeout: UI_TIMEOUT });
    expect(await disconnected.getAttribute('aria-label')).toMatch(new RegExp(`^disconnected on ${MARKUP_NAME.replace(/[()]/g, '\\$&')}, app, `));
    const names = await shownNames(page);
    // The command markers follow the events they caused, in time order.
    expect(names.indexOf('cont')).toBeGreaterThan(names.indexOf('connected'));
    expect(names.indexOf('STOP')).toBeGreaterThan(names.indexOf('cont'));
    expect(names.indexOf('disconnected')).toBeGreaterThan(names.indexOf('RESET'));
    expect(session.browser.errors).toEqual([]);
  });
});
