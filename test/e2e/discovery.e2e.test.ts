/**
 * A QEMU whose socket appears in a watched folder shows up under "Found sockets" and becomes a
 * connection with one click; the watched folders are chosen in the "Watched folders" dialog.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { killAllQemu, makeTempDir, startQemu } from '../support/qemu';
import { startWebServer, type TestWebServer } from '../support/web-server';
import { assertRendererBuilt, openApp, statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

describe('found sockets', () => {
  let server: TestWebServer;
  let browser: TestBrowser;
  const chosenFolder = makeTempDir('qmp-watched-');

  beforeAll(async () => {
    assertRendererBuilt();
    // Only the data folder's own sockets/ folder is watched, so other sessions' sockets stay out.
    [server, browser] = await Promise.all([startWebServer([], { env: { XDG_RUNTIME_DIR: '' } }), launchBrowser()]);
    await openApp(browser.page, server.url);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    await killAllQemu();
    rmSync(chosenFolder, { recursive: true, force: true });
  });

  it('offers a new socket in the watched folder and adds it with one click', async () => {
    const { page } = browser;
    const qemu = await startQemu({ machine: 'none', name: 'found-vm', dir: join(server.dataDir, 'sockets') });
    const add = page.getByRole('button', { name: `Add ${qemu.socketPath!}` });
    await add.waitFor({ timeout: 20_000 });
    await add.click();
    await vmOption(page, 'found-vm').waitFor();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await add.waitFor({ state: 'detached' });
    expect(browser.errors).toEqual([]);
  });

  it('watches a folder added in the dialog, remembers it, and offers QEMU sockets made there', async () => {
    const { page } = browser;
    const found = page.getByRole('region', { name: 'Found sockets' });
    await found.getByRole('button', { name: 'Watched folders…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Watched folders' });
    await dialog.getByRole('button', { name: `Remove ${join(server.dataDir, 'sockets')}` }).waitFor();
    await dialog.getByLabel('Folder path').fill(chosenFolder);
    await dialog.getByRole('button', { name: 'Add folder' }).click();
    await dialog.getByRole('button', { name: `Remove ${chosenFolder}` }).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitForText(found, new RegExp(`created in .*${chosenFolder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} appear here`));

    // The choice lives in the core's settings, not in this page.
    await page.reload();
    await found.getByRole('button', { name: 'Watched folders…' }).click();
    await dialog.getByRole('button', { name: `Remove ${chosenFolder}` }).waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const qemu = await startQemu({ machine: 'none', name: 'folder-vm', dir: chosenFolder });
    const add = found.getByRole('button', { name: `Add ${qemu.socketPath!}` });
    await add.waitFor({ timeout: 20_000 });
    await add.click();
    await vmOption(page, 'folder-vm').waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await add.waitFor({ state: 'detached' });
    expect(browser.errors).toEqual([]);
  });
});
