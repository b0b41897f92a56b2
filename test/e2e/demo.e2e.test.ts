/**
 * The first-run path: an empty app offers the demo VM, one click starts a real QEMU, and its
 * status appears; stopping the server stops the demo QEMU too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { statusValue, vmOption, waitForText } from './app-page';

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
  let session: AppSession | undefined;

  afterEach(async () => {
    if (!session) return;
    await session.server.stop();
    // Safety net if the server died without stopping its demo: kill exactly those PIDs.
    for (const pid of demoQemuPids(session.dataDir)) process.kill(pid, 'SIGKILL');
    await session.close();
    session = undefined;
  });

  it('starts the demo VM with one click and shows it', async () => {
    session = await startAppSession();
    const { page } = session;
    await page.getByRole('button', { name: 'Start demo VM' }).click();
    await vmOption(page, 'qmp-monitor-demo').waitFor({ timeout: 20_000 });
    await waitForText(statusValue(page, 'Connection'), 'ready', 20_000);
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(demoQemuPids(session.dataDir)).toHaveLength(1);
    expect(session.browser.errors).toEqual([]);
  });

  it('stops the demo QEMU when the server stops', async () => {
    const started = await startAppSession({ serverArgs: ['--demo'] });
    session = started;
    await waitForText(statusValue(started.page, 'Connection'), 'ready', 20_000);
    expect(demoQemuPids(started.dataDir)).toHaveLength(1);
    await started.server.stop();
    expect(demoQemuPids(started.dataDir)).toEqual([]);
  });
});
