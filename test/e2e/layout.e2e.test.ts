/**
 * The window at real sizes, in real Chromium against real QEMU: at 800×600 nothing needs
 * horizontal scrolling and a found socket's Add button is reachable however long its path; the
 * sidebar can be resized from the keyboard and collapsed, and both survive a reload; the
 * start-up notice can be dismissed. Screenshots at 800×600 and 1600×1000, light and dark.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import type { TestQemu } from '../support/qemu';
import { actionButton, addConnection, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

/** Screenshots go to docs/ only on request (`UPDATE_SCREENSHOTS=1`), else to test/artifacts. */
const SHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? resolve(__dirname, '../../docs') : resolve(__dirname, '../artifacts');

const SMALL = { width: 800, height: 600 } as const;
const LARGE = { width: 1600, height: 1000 } as const;
/** Page backgrounds of theme.css, to prove the colour scheme really switched. */
const PAGE_BACKGROUND = { light: 'rgb(247, 248, 250)', dark: 'rgb(18, 20, 24)' } as const;

/**
 * A data folder deep enough that its found socket's path is close to the 107 bytes a Unix
 * socket path may have: the longest path a found-sockets row can ever need to show.
 */
function deepDataSubdir(): string {
  const socketTail = '/sockets/qmp.sock';
  const room = 104 - (join(tmpdir(), 'qmp-web-XXXXXX').length + 1) - socketTail.length;
  const words = ['a-deliberately-long-folder', 'for-found-sockets', 'nested', 'deeper', 'still', 'x', 'y', 'z', 'w'];
  const parts: string[] = [];
  for (const word of words) if ([...parts, word].join('/').length <= room) parts.push(word);
  return parts.join('/');
}

/** scrollWidth/clientWidth of the page, the sidebar and the status panel. */
async function widths(page: Page): Promise<Record<'page' | 'sidebar' | 'main', { scroll: number; client: number }>> {
  return page.evaluate<Record<'page' | 'sidebar' | 'main', { scroll: number; client: number }>>(`(() => {
    const measure = (el) => (el ? { scroll: el.scrollWidth, client: el.clientWidth } : { scroll: -1, client: -1 });
    return { page: measure(document.scrollingElement), sidebar: measure(document.querySelector('nav')), main: measure(document.querySelector('main')) };
  })()`);
}

/** Fails with the measurements when any of the boxes shown would scroll sideways. */
async function expectNoHorizontalScroll(page: Page, { sidebarShown = true } = {}): Promise<void> {
  const measured = await widths(page);
  for (const [box, { scroll, client }] of Object.entries(measured)) {
    if (box === 'sidebar' && !sidebarShown) continue;
    expect({ box, fits: client > 0 && scroll <= client, scroll, client }).toEqual({ box, fits: true, scroll, client });
  }
}

/** Forgets the remembered layout and reloads, so each case starts from the default window. */
async function freshWindow(page: Page, size: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme });
  await page.evaluate('localStorage.clear()');
  await page.reload();
  await page.getByRole('navigation', { name: 'Virtual machines' }).waitFor({ timeout: UI_TIMEOUT });
  await waitForText(statusValue(page, 'Connection'), 'ready');
  expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe(PAGE_BACKGROUND[colorScheme]);
}

describe('layout at real window sizes', () => {
  let session: AppSession;
  let vm: TestQemu;
  let found: TestQemu;

  beforeAll(async () => {
    session = await startAppSession({
      viewport: SMALL,
      dataSubdir: deepDataSubdir(),
      // A corrupt connections file makes the core start clean and say so: the notice to dismiss.
      prepareDataDir: (dataDir) => writeFileSync(join(dataDir, 'connections.json'), '{ not json'),
      // Only the data folder's sockets/ folder is watched, so other sessions' sockets stay out.
      serverEnv: { XDG_RUNTIME_DIR: '' },
    });
    const vmDir = session.tempDir('qmp-layout-vm-');
    const disk = join(vmDir, 'a-rather-long-disk-image-name-so-the-block-table-has-to-wrap-or-scroll.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '1G']);
    [vm, found] = await Promise.all([
      session.startQemu({
        machine: 'pc',
        name: 'web-frontend-01',
        dir: vmDir,
        extraArgs: ['-smp', '2', '-m', '512', '-drive', `if=none,id=disk0,file=${disk},format=qcow2`, '-device', 'virtio-blk-pci,drive=disk0,id=vblk0'],
      }),
      session.startQemu({ machine: 'none', name: 'found-vm', dir: join(session.dataDir, 'sockets') }),
    ]);
    expect(found.socketPath!.length).toBeGreaterThan(90);
    const { page } = session;
    await addConnection(page, vm.socketPath!);
    await waitForText(vmOption(page, 'web-frontend-01'), /ready/);
    // A few events with data, so the events list has long lines to wrap.
    await actionButton(page, 'Reset').click();
    await page.getByRole('dialog', { name: /^Reset / }).getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForText(page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem').first(), /RESET/);
    mkdirSync(SHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await session?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits 800×600 (${colorScheme}) with no sideways scrolling and a reachable Add for a long found path`, async () => {
      const { page } = session;
      await freshWindow(page, SMALL, colorScheme);
      const add = page.getByRole('region', { name: 'Found sockets' }).getByRole('button', { name: `Add ${found.socketPath!}` });
      await add.waitFor({ timeout: 20_000 });
      await expectNoHorizontalScroll(page);
      await add.scrollIntoViewIfNeeded();
      const box = await add.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(SMALL.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(SMALL.height);
      // The whole path is shown (wrapped after its slashes), with the full text on hover too.
      const shownPath = page.getByRole('region', { name: 'Found sockets' }).getByTitle(found.socketPath!, { exact: true });
      expect(await shownPath.textContent()).toBe(found.socketPath!);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, `layout-800x600-${colorScheme}.png`) });
      // The lower half (events, CPUs, block devices) scrolls inside the status panel.
      await page.getByRole('table', { name: 'Block devices' }).scrollIntoViewIfNeeded();
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: join(SHOTS, `layout-800x600-${colorScheme}-scrolled.png`) });
      expect(session.browser.errors).toEqual([]);
    });

    it(`fills 1600×1000 (${colorScheme})`, async () => {
      const { page } = session;
      await freshWindow(page, LARGE, colorScheme);
      await waitForText(page.getByRole('table', { name: 'Block devices' }).getByRole('row').nth(1), /long-disk-image-name/);
      await expectNoHorizontalScroll(page);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, `layout-1600x1000-${colorScheme}.png`) });
      expect(session.browser.errors).toEqual([]);
    });
  }

  it('resizes the sidebar by keyboard and mouse, collapses it, and remembers both across a reload', async () => {
    const { page } = session;
    await freshWindow(page, SMALL);
    const nav = page.getByRole('navigation', { name: 'Virtual machines' });
    const splitter = page.getByRole('separator', { name: 'Resize sidebar' });
    const navWidth = async () => Math.round((await nav.boundingBox())?.width ?? -1);
    const value = async () => Number(await splitter.getAttribute('aria-valuenow'));

    const start = await value();
    expect(await navWidth()).toBe(start);
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await value()).toBe(start + 32);
    expect(await navWidth()).toBe(start + 32);
    await page.keyboard.press('End');
    const max = Number(await splitter.getAttribute('aria-valuemax'));
    expect(await value()).toBe(max);
    // The status panel keeps room at the widest sidebar: still nothing to scroll sideways.
    expect(max).toBeLessThan(SMALL.width - 300);
    await expectNoHorizontalScroll(page);
    await page.keyboard.press('Home');
    expect(await value()).toBe(Number(await splitter.getAttribute('aria-valuemin')));

    const handle = (await splitter.boundingBox())!;
    const before = await value();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    expect(await value()).toBe(before + 60);
    const chosen = await value();

    await page.reload();
    await nav.waitFor({ timeout: UI_TIMEOUT });
    expect(await value()).toBe(chosen);
    expect(await navWidth()).toBe(chosen);

    const hide = page.getByRole('button', { name: 'Hide sidebar' });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await hide.click();
    await nav.waitFor({ state: 'hidden' });
    expect(await splitter.count()).toBe(0);
    await expectNoHorizontalScroll(page, { sidebarShown: false });
    await page.reload();
    const show = page.getByRole('button', { name: 'Show sidebar' });
    await show.waitFor({ timeout: UI_TIMEOUT });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    await show.click();
    await nav.waitFor();
    expect(await navWidth()).toBe(chosen);
    expect(session.browser.errors).toEqual([]);
  });

  it('shows the corrupt-file notice until it is dismissed', async () => {
    const { page } = session;
    await freshWindow(page, SMALL);
    const notices = page.getByRole('list', { name: 'Notices' });
    await waitForText(notices.getByRole('listitem').first(), /connections\.json.*corrupt/i);
    await notices.getByRole('button', { name: 'Dismiss' }).first().click();
    await notices.waitFor({ state: 'detached' });
    // Focus lands on a control, not on <body>, so a keyboard user is not sent back to the top.
    expect(await page.evaluate<string>('document.activeElement ? document.activeElement.tagName : ""')).toBe('BUTTON');
    expect(session.browser.errors).toEqual([]);
  });
});
