/**
 * Recordings in real Chromium through `npm run web`, against real QEMU (-M pc, running):
 * commands typed in the console, "Save recording" in the Wire tab (a real download), the file
 * opened again with "Open recording…" (reached by keyboard, through the browser's file
 * chooser), and the same exchange browsed read-only through the console, timeline and wire
 * views: the same command names, the same reply values, the same event rows, no editor.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRecording } from '../../electron/common/wire-recording';
import { startAppSession, type AppSession } from '../support/app-session';
import { makeTempDir, removeTempDir } from '../support/temp-dirs';
import { addConnection, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

const VM_NAME = 'recorded-guest';
const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(__dirname, '../../docs') : resolve(__dirname, '../artifacts');

/** `text` as a regular expression matching itself. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const editor = (page: Page): Locator => page.getByRole('textbox', { name: 'Command' });
const sidebar = (page: Page): Locator => page.getByRole('navigation', { name: 'Virtual machines' });

/** Types `text` into the console's editor and sends it; resolves once its answer is shown. */
async function send(page: Page, text: string): Promise<void> {
  const before = await page.getByRole('log', { name: 'Commands and replies' }).getByRole('article').count();
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  const entry = page.getByRole('log', { name: 'Commands and replies' }).getByRole('article').nth(before);
  await waitForText(entry, /returned in|error/);
}

/** The command names of a console's entries, in order (`QMP stop sent at …` → `stop`). */
async function commandNames(main: Locator): Promise<string[]> {
  const labels = await main.getByRole('log', { name: 'Commands and replies' }).getByRole('article').evaluateAll((articles) =>
    articles.map((article) => (article as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label') ?? ''),
  );
  return labels.map((label) => /^QMP (\S+) sent at /.exec(label)?.[1] ?? label);
}

vi.setConfig({ testTimeout: 120_000 });

describe('recordings saved and opened again', () => {
  let session: AppSession;
  let dir: string;
  let saved: string;
  let fileName: string;

  beforeAll(async () => {
    dir = makeTempDir('qmp-recordings-e2e-');
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
    const qemu = await session.startQemu({ machine: 'pc', name: VM_NAME, paused: false });
    await addConnection(session.page, qemu.socketPath!);
    await vmOption(session.page, VM_NAME).waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (dir) removeTempDir(dir);
  });

  it('saves the wire log of commands typed in the console as a recording file', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'Console' }).click();
    await editor(page).waitFor({ timeout: UI_TIMEOUT });
    await send(page, 'query-status');
    await send(page, 'stop');
    await send(page, 'device_del id=nope');
    await page.getByRole('tab', { name: 'Wire' }).click();
    const messages = page.getByRole('list', { name: 'QMP messages' });
    await messages.getByRole('listitem').filter({ hasText: '"DeviceNotFound"' }).first().waitFor({ timeout: UI_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT }), page.getByRole('button', { name: 'Save recording' }).click()]);
    fileName = download.suggestedFilename();
    expect(fileName).toMatch(new RegExp(`^qmp-recording-${VM_NAME}-\\d{8}-\\d{6}\\.jsonl$`));
    saved = join(dir, fileName);
    await download.saveAs(saved);
    await page.getByRole('status').filter({ hasText: /^Saved \d+ messages\.$/ }).waitFor({ timeout: UI_TIMEOUT });
    const { entries, badLines } = parseRecording(readFileSync(saved, 'utf8'));
    expect(badLines).toEqual([]);
    // Exactly as it crossed the socket: QEMU's greeting and replies end in CRLF, ours in LF.
    expect(entries[0]).toMatchObject({ dir: 'in', text: expect.stringMatching(/^\{"QMP": .*\r\n$/) as string });
    expect(entries.some((e) => e.dir === 'out' && /"execute":"stop"/.test(e.text) && e.text.endsWith('\n'))).toBe(true);
    expect(entries.some((e) => e.dir === 'in' && /"event": "STOP"/.test(e.text))).toBe(true);
  });

  it('opens it by keyboard as a read-only entry with its name and QEMU version, through the same console, timeline and wire views', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'Console' }).click();
    const live = page.getByRole('main', { name: `Console of ${VM_NAME}` });
    const liveNames = await commandNames(live);
    expect(liveNames).toEqual(['query-status', 'stop', 'device_del']);
    const open = sidebar(page).getByRole('button', { name: 'Open recording…' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: UI_TIMEOUT }), open.press('Enter')]);
    await chooser.setFiles(saved);

    const listed = sidebar(page).getByRole('list', { name: 'Opened recordings' }).getByRole('button', { name: new RegExp(`^${literal(fileName)}\\s*read-only · QEMU 7\\.2\\.\\d+`) });
    await listed.waitFor({ timeout: UI_TIMEOUT });
    expect(await listed.getAttribute('aria-current')).toBe('true');

    // Console: the same commands (with the core's own around them), the same replies, no editor.
    const recorded = page.getByRole('main', { name: `Console of recording ${fileName} (read-only)` });
    await recorded.waitFor({ timeout: UI_TIMEOUT });
    expect(await editor(page).count()).toBe(0);
    expect(await recorded.getByRole('button', { name: /^Send/ }).count()).toBe(0);
    const names = await commandNames(recorded);
    const typed = names.filter((name) => liveNames.includes(name) && name !== 'query-status');
    expect(typed).toEqual(['stop', 'device_del']);
    expect(names).toContain('qmp_capabilities');
    const status = recorded.getByRole('article', { name: /^QMP query-status sent at / });
    await status.getByRole('tree', { name: 'Reply to query-status' }).getByRole('treeitem', { name: 'status: "running"' }).first().waitFor({ timeout: UI_TIMEOUT });
    const failure = recorded.getByRole('article', { name: /^QMP device_del sent at / }).getByRole('group', { name: 'Error DeviceNotFound' });
    await waitForText(failure, /Device 'nope' not found/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'recording-console-1600x1000-light.png') });

    // Timeline: the recording's STOP row under the recording's name.
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByRole('main', { name: `Timeline of recording ${fileName} (read-only)` });
    await timeline.getByRole('listbox', { name: /Timeline events/ }).getByRole('option', { name: new RegExp(`^STOP on ${literal(fileName)},`) }).waitFor({ timeout: UI_TIMEOUT });

    // Wire: the raw exchange, the same messages as the file.
    await page.getByRole('tab', { name: 'Wire' }).click();
    const wire = page.getByRole('main', { name: `Wire of recording ${fileName} (read-only)` });
    const rows = wire.getByRole('list', { name: 'QMP messages' }).getByRole('listitem');
    await rows.first().waitFor({ timeout: UI_TIMEOUT });
    const count = parseRecording(readFileSync(saved, 'utf8')).entries.length;
    expect(await rows.count()).toBe(Math.min(count, 300));
    await rows.filter({ hasText: '"execute":"stop"' }).first().waitFor({ timeout: UI_TIMEOUT });
  });

  it('refuses a malformed line with its number and keeps the rest; closing the recording shows the VM again', async () => {
    const { page } = session;
    const lines = readFileSync(saved, 'utf8').split('\n');
    lines.splice(1, 0, '{"dir":"in","t":1,"te');
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, lines.join('\n'));
    await sidebar(page).getByLabel('Recording file').setInputFiles(broken);
    await sidebar(page)
      .getByRole('alert')
      .filter({ hasText: /^broken\.jsonl: 1 malformed line refused \(line 2: not JSON/ })
      .waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('main', { name: 'Wire of recording broken.jsonl (read-only)' }).waitFor({ timeout: UI_TIMEOUT });

    for (const name of ['broken.jsonl', fileName]) await sidebar(page).getByRole('button', { name: `Close recording ${name}` }).click();
    expect(await sidebar(page).getByRole('list', { name: 'Opened recordings' }).count()).toBe(0);
    await page.getByRole('main', { name: `Wire of ${VM_NAME}` }).waitFor({ timeout: UI_TIMEOUT });
    expect(session.browser.errors).toEqual([]);
  });
});
