/**
 * Losing QEMU and getting it back: the UI says why it is disconnected, counts down to the next
 * try, and returns to ready on its own when QEMU listens on the same socket again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { killAllQemu, startQemu, type TestQemu } from '../support/qemu';
import { startWebServer, type TestWebServer } from '../support/web-server';
import { addConnection, assertRendererBuilt, openApp, statusValue, vmOption, waitForText } from './app-page';

describe('connection loss and recovery', () => {
  let qemu: TestQemu;
  let server: TestWebServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    assertRendererBuilt();
    [qemu, server, browser] = await Promise.all([startQemu({ machine: 'pc', name: 'phoenix' }), startWebServer(), launchBrowser()]);
    await openApp(browser.page, server.url);
    await addConnection(browser.page, qemu.socketPath!);
    await waitForText(statusValue(browser.page, 'Connection'), 'ready');
    // "ready" comes before the first reads finish; the tests below find the VM by its QMP name.
    await waitForText(vmOption(browser.page, 'phoenix'), /ready/);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    await killAllQemu();
  });

  it('shows reconnecting with the reason when QEMU dies, then ready when it is back', async () => {
    const { page } = browser;
    const dir = qemu.dir;
    await qemu.kill('SIGKILL');
    await waitForText(statusValue(page, 'Connection'), /^reconnecting( in \d+ s| now)?$/);
    const problem = page.getByRole('main').getByText(/^Connection problem: .+/);
    await problem.waitFor();
    expect(((await problem.textContent()) ?? '').length).toBeGreaterThan('Connection problem: '.length + 3);
    await waitForText(vmOption(page, 'phoenix'), /reconnecting/);
    await waitForText(page.locator('[aria-live="polite"]'), /^phoenix: reconnecting/);
    // Nothing is claimed about a VM nobody can ask.
    await waitForText(statusValue(page, 'Run state'), 'unknown');

    qemu = await startQemu({ machine: 'pc', name: 'phoenix', dir });
    await waitForText(statusValue(page, 'Connection'), 'ready', 45_000);
    await waitForText(vmOption(page, 'phoenix'), /ready/);
    await waitForText(page.locator('[aria-live="polite"]'), 'phoenix: ready');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(await page.getByRole('main').getByText(/^Connection problem:/).count()).toBe(0);
  }, 90_000);

  it('disconnects and reconnects on request', async () => {
    const { page } = browser;
    const connection = page.getByRole('group', { name: 'Connection actions' });
    await connection.getByRole('button', { name: 'Disconnect' }).click();
    await waitForText(statusValue(page, 'Connection'), /^(disconnected|not connected)$/);
    await connection.getByRole('button', { name: 'Connect' }).click();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(browser.errors).toEqual([]);
  });
});
