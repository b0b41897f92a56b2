/**
 * A QEMU whose socket appears in a watched folder shows up under "Found sockets" and becomes a
 * connection with one click; the watched folders are chosen in the "Watched folders" dialog.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { statusValue, UI_TIMEOUT, vmOption, waitForText } from './app-page';

describe('found sockets', () => {
  let session: AppSession;

  beforeAll(async () => {
    // Only the data folder's own sockets/ folder is watched, so other sessions' sockets stay out.
    session = await startAppSession({ serverEnv: { XDG_RUNTIME_DIR: '' } });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('offers a new socket in the watched folder and adds it with one click', async () => {
    const { page } = session;
    const qemu = await session.startQemu({ machine: 'none', name: 'found-vm', dir: join(session.dataDir, 'sockets') });
    const add = page.getByRole('button', { name: `Add ${qemu.socketPath!}` });
    await add.waitFor({ timeout: 20_000 });
    await add.click();
    await vmOption(page, 'found-vm').waitFor();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await add.waitFor({ state: 'detached' });
    expect(session.browser.errors).toEqual([]);
  });

  it('watches a folder added in the dialog, remembers it, and offers QEMU sockets made there', async () => {
    const { page } = session;
    const chosenFolder = session.tempDir('qmp-watched-');
    const found = page.getByRole('region', { name: 'Found sockets' });
    await found.getByRole('button', { name: 'Watched folders…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Watched folders' });
    await dialog.getByRole('button', { name: `Remove ${join(session.dataDir, 'sockets')}` }).waitFor();
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

    const qemu = await session.startQemu({ machine: 'none', name: 'folder-vm', dir: chosenFolder });
    const add = found.getByRole('button', { name: `Add ${qemu.socketPath!}` });
    await add.waitFor({ timeout: 20_000 });
    await add.click();
    await vmOption(page, 'folder-vm').waitFor({ timeout: UI_TIMEOUT });
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await add.waitFor({ state: 'detached' });
    expect(session.browser.errors).toEqual([]);
  });
});
