/**
 * The Console view against real QEMU (-M pc, running) in real Chromium through `npm run web`.
 *
 * Typed the way a user types: into CodeMirror's editable element (named "Command"), with
 * completion read from CodeMirror's option list. Checks that what the schema knows is said
 * before sending, that a command typed here is the same command the timeline records, that
 * HMP output is text, that the history survives a reload, and that CodeMirror's run-time
 * styles apply under the page's strict CSP (a per-load nonce, never 'unsafe-inline').
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { SHOTS, shootSizesAndThemes } from '../support/screenshots';
import { addConnection, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

const VM_NAME = 'console-guest';

const editor = (page: Page): Locator => page.getByRole('textbox', { name: 'Command' });
const log = (page: Page): Locator => page.getByRole('log', { name: 'Commands and replies' });
const entries = (page: Page): Locator => log(page).getByRole('article');

/** Replaces the editor's text with `text` (typed key by key, as a person would). */
async function typeCommand(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** The editor's text as CodeMirror holds it. */
async function editorText(page: Page): Promise<string> {
  // Run in the page; this file is type-checked for Node, so the DOM is typed by hand here.
  type Node = { textContent: string | null; cloneNode(deep: boolean): Node; remove(): void; querySelectorAll(selector: string): ArrayLike<Node> & Iterable<Node> };
  return editor(page).evaluate((element) => {
    const copy = (element as unknown as Node).cloneNode(true);
    for (const placeholder of copy.querySelectorAll('.cm-placeholder')) placeholder.remove();
    return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n').replace(/\u200b/g, '');
  });
}

// Two busy cores: every step waits on a condition, and a test may take a while.
vi.setConfig({ testTimeout: 90_000 });

describe('the command console', () => {
  let session: AppSession;

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
    mkdirSync(SHOTS, { recursive: true });
    const qemu = await session.startQemu({ machine: 'pc', name: VM_NAME, paused: false });
    await addConnection(session.page, qemu.socketPath!);
    await vmOption(session.page, VM_NAME).waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
    await waitForText(statusValue(session.page, 'Run state'), 'running');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('is a tab beside Status and Timeline, reachable by keyboard, with a styled editor and no CSP violation', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'Status' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Console' }).getAttribute('aria-selected')).toBe('true');
    await editor(page).waitFor({ timeout: UI_TIMEOUT });
    await page.getByText(/^Schema of QEMU 7\.2/).waitFor({ timeout: UI_TIMEOUT });
    // CodeMirror's base theme (display: flex on .cm-editor) comes from its run-time <style>: applied only if the nonce let it.
    const styled = await page.locator('.cm-editor').evaluate((element) => {
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(element: unknown): { display: string } };
      return getComputedStyle(element).display;
    });
    expect(styled).toBe('flex');
    const nonces = await page.locator('style[nonce]').count();
    expect(nonces).toBeGreaterThan(0);
    expect(session.browser.errors.filter((error) => /Content Security Policy|Refused to/i.test(error))).toEqual([]);
  });

  it('completes query-status for query-st, from the schema', async () => {
    const { page } = session;
    await typeCommand(page, 'query-st');
    const option = page.getByRole('option', { name: /^query-status/ });
    await option.waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+Space');
    await option.waitFor({ timeout: UI_TIMEOUT });
    await option.click(); // takes the option, sends nothing
    await expect.poll(() => editorText(page), { timeout: UI_TIMEOUT }).toBe('query-status');
    expect(await entries(page).count()).toBe(0);
  });

  it('sends stop typed in the console: a paused VM and a STOP row in the timeline', async () => {
    const { page } = session;
    await typeCommand(page, 'stop');
    await page.keyboard.press('Enter');
    const entry = entries(page).last();
    await waitForText(entry, /returned in [\d.]+ ms/);
    expect(await editorText(page)).toBe('');
    await page.getByRole('tab', { name: 'Status' }).click();
    await waitForText(statusValue(page, 'Run state'), 'paused');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByRole('listbox', { name: /Timeline events/ });
    await timeline.getByRole('option', { name: new RegExp(`^STOP on ${VM_NAME},`) }).waitFor({ timeout: UI_TIMEOUT });
    await timeline.getByRole('option', { name: /stop/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('tab', { name: 'Console' }).click();
  });

  it('flags an unknown argument and a missing required one before sending, and sends anyway on a second Enter', async () => {
    const { page } = session;
    const before = await entries(page).count();
    await typeCommand(page, 'device_del bogus=1');
    const problems = page.getByRole('list', { name: 'Problems' });
    await waitForText(problems, /unknown argument 'bogus'/);
    await waitForText(problems, /missing required argument 'id'/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: /Not sent: 2 problem/ }).waitFor({ timeout: UI_TIMEOUT });
    expect(await entries(page).count()).toBe(before);
    await page.keyboard.press('Enter');
    await waitForText(entries(page).last(), /error/i);
    // QEMU is the judge: its own class and description, shown apart from a success.
    const failure = entries(page).last().getByRole('group', { name: /^Error GenericError$/ });
    await failure.waitFor({ timeout: UI_TIMEOUT });
    expect(await failure.textContent()).toMatch(/GenericError/);
  });

  it('shows a reply as a JSON tree, with a copy of the whole reply', async () => {
    const { page } = session;
    await typeCommand(page, '{"execute": "query-status"}');
    await page.keyboard.press('Enter');
    const tree = page.getByRole('tree', { name: 'Reply to query-status' }).last();
    await tree.waitFor({ timeout: UI_TIMEOUT });
    await tree.getByRole('treeitem', { name: 'status: "paused"' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await entries(page).last().getByRole('button', { name: 'Copy reply' }).count()).toBe(1);
  });

  it('sends HMP lines and shows their output as text', async () => {
    const { page } = session;
    await page.getByRole('switch', { name: 'HMP mode' }).check();
    await typeCommand(page, 'info status');
    await page.keyboard.press('Enter');
    const output = page.getByLabel('Output of info status').last();
    await waitForText(output, /VM status: paused/);
    expect(await output.evaluate((element) => element.tagName)).toBe('PRE');
    expect(await output.textContent()).not.toContain('\r');
    await page.getByRole('switch', { name: 'HMP mode' }).uncheck();
  });

  it('shows the raw traffic in the Wire tab, both directions, with byte counts', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'Wire' }).click();
    const messages = page.getByRole('list', { name: 'QMP messages' });
    const sent = messages.getByRole('listitem', { name: /^sent \d+ bytes at / }).filter({ hasText: '"execute":"query-status"' }).first();
    await sent.waitFor({ timeout: UI_TIMEOUT });
    const received = messages.getByRole('listitem', { name: /^received \d+ bytes at / }).filter({ hasText: '"status": "paused"' }).first();
    await received.waitFor({ timeout: UI_TIMEOUT });
    // Exactly as it crossed the socket: QEMU ends each message with CRLF, the CR shown as a mark.
    expect(await received.locator('pre abbr[title^="carriage return"]').count()).toBe(1);
    const label = (await received.getAttribute('aria-label')) ?? '';
    const text = (await received.locator('pre').textContent()) ?? '';
    expect(text).toMatch(/\}CR\n$/);
    expect(Number(/received (\d+) bytes/.exec(label)?.[1])).toBe(Buffer.byteLength(text.replace(/CR\n$/, '\r\n')));
    await page.getByText(/\d+ messages held · sent [\d,]+ B · received [\d,]+ B/).waitFor({ timeout: UI_TIMEOUT });
    await page.screenshot({ path: join(SHOTS, 'wire-1600x1000-light.png') });
    await page.getByRole('tab', { name: 'Console' }).click();
  });

  it('takes screenshots at 800×600 and 1600×1000, light and dark', async () => {
    const { page } = session;
    await shootSizesAndThemes(page, 'console', {
      prepare: async ({ size }) => {
        await typeCommand(page, 'query-');
        await page.getByRole('option', { name: /^query-status/ }).waitFor({ timeout: UI_TIMEOUT });
        const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(size.width);
      },
      after: () => page.keyboard.press('Escape'),
    });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light' });
    await typeCommand(page, '');
  });

  it('keeps the history across a reload: Up recalls the last command, Ctrl+R finds an older one', async () => {
    const { page } = session;
    await page.reload();
    await page.getByRole('tab', { name: 'Console' }).click();
    await vmOption(page, VM_NAME).click();
    await editor(page).click();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editorText(page), { timeout: UI_TIMEOUT }).toBe('{"execute": "query-status"}');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editorText(page), { timeout: UI_TIMEOUT }).toBe('device_del bogus=1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => editorText(page), { timeout: UI_TIMEOUT }).toBe('');
    await page.keyboard.press('Control+r');
    const search = page.getByRole('searchbox', { name: 'Search history' });
    await search.fill('sto');
    await page.getByRole('listbox', { name: 'History matches' }).getByRole('option', { name: /^stop/ }).waitFor({ timeout: UI_TIMEOUT });
    await search.press('Enter');
    await expect.poll(() => editorText(page), { timeout: UI_TIMEOUT }).toBe('stop');
    expect(session.browser.errors).toEqual([]);
  });

  it('sends !query-yank out of band with OOB negotiated, and shows QEMU refusing !query-status out of band as an error', async () => {
    const { page } = session;
    // The core asks for 'oob' when QEMU 7.2's greeting offers it; the console says so.
    await page.getByText('OOB is on: start a command with ! to send it out of band (exec-oob).').waitFor({ timeout: UI_TIMEOUT });
    await typeCommand(page, '!query-yank');
    expect(await page.getByRole('list', { name: 'Problems' }).count()).toBe(0);
    await page.keyboard.press('Enter');
    const yank = entries(page).last();
    await waitForText(yank, /returned in [\d.]+ ms/);
    expect(await yank.getAttribute('aria-label')).toMatch(/^QMP query-yank sent at /);
    await yank.getByRole('tree', { name: 'Reply to query-yank' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('tab', { name: 'Wire' }).click();
    await page.getByRole('list', { name: 'QMP messages' }).getByRole('listitem', { name: /^sent / }).filter({ hasText: '"exec-oob":"query-yank"' }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('tab', { name: 'Console' }).click();

    // query-status has no allow-oob: flagged before sending, and QEMU, the judge, refuses it.
    await typeCommand(page, '!query-status');
    await waitForText(page.getByRole('list', { name: 'Problems' }), /query-status does not allow exec-oob/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: /Not sent: 1 problem/ }).waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Enter');
    const refusal = entries(page).last().getByRole('group', { name: /^Error GenericError$/ });
    await refusal.waitFor({ timeout: UI_TIMEOUT });
    await waitForText(refusal, /The command query-status does not support OOB/);
    expect(session.browser.errors).toEqual([]);
  });
});
