/**
 * A QEMU whose socket appears in a watched folder shows up under "Found sockets" and becomes a
 * connection with one click.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { killAllQemu, startQemu, type TestQemu } from '../support/qemu';
import { startWebServer, type TestWebServer } from '../support/web-server';
import { assertRendererBuilt, openApp, statusValue, vmOption, waitForText } from './app-page';

describe('found sockets', () => {
  let server: TestWebServer;
  let browser: TestBrowser;
  let qemu: TestQemu;

  beforeAll(async () => {
    assertRendererBuilt();
    // Only the data folder's own sockets/ folder is watched, so other sessions' sockets stay out.
    [server, browser] = await Promise.all([startWebServer([], { env: { XDG_RUNTIME_DIR: '' } }), launchBrowser()]);
    await openApp(browser.page, server.url);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    await killAllQemu();
  });

  it('offers a new socket in the watched folder and adds it with one click', async () => {
    const { page } = browser;
    qemu = await startQemu({ machine: 'none', name: 'found-vm', dir: join(server.dataDir, 'sockets') });
    const add = page.getByRole('button', { name: `Add ${qemu.socketPath!}` });
    await add.waitFor({ timeout: 20_000 });
    await add.click();
    await vmOption(page, 'found-vm').waitFor();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await add.waitFor({ state: 'detached' });
    expect(browser.errors).toEqual([]);
  });
});
