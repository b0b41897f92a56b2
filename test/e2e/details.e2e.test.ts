/**
 * The VM's screen and the QOM browser in real Chromium over `npm run web`, against real QEMU
 * (`-M pc -S -vga std -display none`, a virtio-rng device and an iothread object): the screen
 * as an image Chromium decodes at the display's size, enlarged on click; a VM without a
 * display gives a note; the QOM tree by role with a value read by qom-get, a link followed by
 * keyboard, and a qom-set confirmed and read back. Screenshots at 800×600 and 1600×1000,
 * light and dark.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { addConnection, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

/** Screenshots go to docs/ only on request (`UPDATE_SCREENSHOTS=1`), else to test/artifacts. */
const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(__dirname, '../../docs') : resolve(__dirname, '../artifacts');
const SIZES = [
  { width: 800, height: 600 },
  { width: 1600, height: 1000 },
] as const;

const tree = (page: Page): Locator => page.getByRole('tree', { name: 'QOM tree' });
const treeItem = (page: Page, name: RegExp): Locator => tree(page).getByRole('treeitem', { name });
/** The value cell of `property` in the properties table of `path`. */
const valueCell = (page: Page, path: string, property: string): Locator =>
  page.getByRole('table', { name: `Properties of ${path}` }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: property, exact: true }) }).getByRole('cell').nth(1);

describe('the VM\'s screen and QOM in the browser', () => {
  let session: AppSession;
  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
    mkdirSync(SHOTS, { recursive: true });
    const qemu = await session.startQemu({
      machine: 'pc',
      name: 'vm-details',
      extraArgs: ['-vga', 'std', '-device', 'virtio-rng-pci,id=rng0', '-object', 'iothread,id=io0'],
    });
    await addConnection(session.page, qemu.socketPath!);
    await vmOption(session.page, 'vm-details').waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it('shows the screen as an image of the display\'s size and enlarges it on click', async () => {
    const { page } = session;
    const image = page.getByRole('region', { name: 'Screen' }).getByRole('img', { name: 'Screen of vm-details, 640×480' });
    await image.waitFor({ timeout: UI_TIMEOUT });
    // Chromium decoded it: a real PNG, the size QEMU's console has, allowed by the CSP (img-src data:).
    expect(await image.evaluate<number[], unknown>((img) => [(img as { naturalWidth: number }).naturalWidth, (img as { naturalHeight: number }).naturalHeight])).toEqual([640, 480]);
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.getByRole('button', { name: 'Enlarge the screen of vm-details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Screen of vm-details' });
    await dialog.getByRole('img', { name: 'Screen of vm-details, 640×480' }).waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    // Focus went back to the thumbnail; move it off so the pictures show the page at rest.
    await page.getByRole('button', { name: 'Enlarge the screen of vm-details' }).evaluate((element) => (element as unknown as { blur(): void }).blur());
    for (const size of SIZES) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme });
        await page.getByRole('region', { name: 'Screen' }).evaluate((element) => (element as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }));
        expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(SHOTS, `screen-${size.width}x${size.height}-${colorScheme}.png`) });
      }
    }
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(session.browser.errors).toEqual([]);
  });

  it('browses the QOM tree by keyboard, shows values read by qom-get and follows a link', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'QOM' }).click();
    const peripheral = treeItem(page, /^peripheral child<container>/);
    await peripheral.waitFor({ timeout: UI_TIMEOUT });
    await treeItem(page, /^peripheral-anon child<container>/).waitFor();
    await peripheral.click();
    await page.keyboard.press('ArrowRight');
    const rng = treeItem(page, /^rng0 child<virtio-rng-pci>/);
    await rng.waitFor({ timeout: UI_TIMEOUT });
    expect(await peripheral.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await rng.getAttribute('aria-selected')).toBe('true');
    await waitForText(valueCell(page, '/machine/peripheral/rng0', 'type'), '"virtio-rng-pci"');
    await waitForText(valueCell(page, '/machine/peripheral/rng0', 'max-bytes'), /^\d+$/);
    await page.keyboard.press('ArrowRight');
    const link = treeItem(page, /^rng link<rng-backend> → \/machine\/peripheral\/rng0\//);
    await link.waitFor({ timeout: UI_TIMEOUT });
    await link.click();
    await page.keyboard.press('Enter');
    // Following lands on the object the link names, selected and focused.
    const target = tree(page).getByRole('treeitem', { name: /^default-backend child<rng-builtin>/, selected: true });
    await target.waitFor({ timeout: UI_TIMEOUT });
    expect(await target.evaluate((element) => element === (element.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await waitForText(valueCell(page, '/machine/peripheral/rng0/virtio-backend/default-backend', 'type'), '"rng-builtin"');
    expect(session.browser.errors).toEqual([]);
  });

  it('sets a property after the confirmation and shows the value QEMU reads back', async () => {
    const { page } = session;
    const objects = treeItem(page, /^\/objects/);
    await objects.click();
    await page.keyboard.press('ArrowRight');
    const io0 = treeItem(page, /^io0 child<iothread>/);
    await io0.waitFor({ timeout: UI_TIMEOUT });
    await io0.click();
    await waitForText(valueCell(page, '/objects/io0', 'poll-max-ns'), /^\d+$/);
    await page.getByRole('table', { name: 'Properties of /objects/io0' }).getByRole('button', { name: 'Set poll-max-ns' }).click();
    const edit = page.getByRole('dialog', { name: 'Set poll-max-ns' });
    await edit.getByRole('textbox').fill('4321');
    await edit.getByRole('button', { name: 'Set…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Set the property?' });
    await waitForText(confirm.locator('p'), /qom-set poll-max-ns of \/objects\/io0 to 4321/);
    await confirm.getByRole('button', { name: 'Set', exact: true }).click();
    await waitForText(valueCell(page, '/objects/io0', 'poll-max-ns'), '4321');
    await waitForText(page.getByRole('status').filter({ hasText: 'qom-set' }), /done; read back 4321/);
    for (const size of SIZES) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme });
        await io0.scrollIntoViewIfNeeded();
        expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(SHOTS, `qom-${size.width}x${size.height}-${colorScheme}.png`) });
      }
    }
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(session.browser.errors).toEqual([]);
  });

  it('gives a note, not a broken image, for a VM without a display', async () => {
    const { page } = session;
    const qemu = await session.startQemu({ machine: 'pc', name: 'vm-headless' });
    await page.getByRole('tab', { name: 'Status' }).click();
    await addConnection(page, qemu.socketPath!);
    await vmOption(page, 'vm-headless').waitFor({ timeout: UI_TIMEOUT });
    const card = page.getByRole('region', { name: 'Screen' });
    await waitForText(card.getByRole('status'), /no display to take a picture of/);
    expect(await card.getByRole('img').count()).toBe(0);
    expect(session.browser.errors).toEqual([]);
  });
});
