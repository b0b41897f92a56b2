/**
 * The first-run path: an empty app offers the demo VM, one click starts a real QEMU, and its
 * status appears; stopping the server stops the demo QEMU too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startWebServer, type TestWebServer } from '../support/web-server';
import { assertRendererBuilt, openApp, statusValue, vmOption, waitForText } from './app-page';

/** PIDs of QEMUs whose command line mentions `dataDir` (only the demo this test's server started). */
function demoQemuPids(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.startsWith('qemu-system') || cmdline.includes('/qemu-system') ? cmdline.includes(dataDir) : false;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('demo VM from the empty state', () => {
  let server: TestWebServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    assertRendererBuilt();
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await openApp(browser.page, server.url);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    // Safety net if the server died without stopping its demo: kill exactly those PIDs.
    for (const pid of server ? demoQemuPids(server.dataDir) : []) process.kill(pid, 'SIGKILL');
  });

  it('starts the demo VM with one click and shows it', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Start demo VM' }).click();
    await vmOption(page, 'qmp-monitor-demo').waitFor({ timeout: 20_000 });
    await waitForText(statusValue(page, 'Connection'), 'ready', 20_000);
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(demoQemuPids(server.dataDir)).toHaveLength(1);
    expect(browser.errors).toEqual([]);
  });

  it('stops the demo QEMU when the server stops', async () => {
    await server.stop();
    expect(demoQemuPids(server.dataDir)).toEqual([]);
  });
});
