/**
 * Losing QEMU and getting it back: the UI says why it is disconnected, counts down to the next
 * try, and returns to ready on its own when QEMU listens on the same socket again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import type { TestQemu } from '../support/qemu';
import { addConnection, statusValue, vmOption, waitForText } from './app-page';

describe('connection loss and recovery', () => {
  let qemu: TestQemu;
  let session: AppSession;

  beforeAll(async () => {
    session = await startAppSession();
    qemu = await session.startQemu({ machine: 'pc', name: 'phoenix' });
    await addConnection(session.page, qemu.socketPath!);
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
    // "ready" comes before the first reads finish; the tests below find the VM by its QMP name.
    await waitForText(vmOption(session.page, 'phoenix'), /ready/);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows reconnecting with the reason when QEMU dies, then ready when it is back', async () => {
    const { page } = session;
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

    qemu = await session.startQemu({ machine: 'pc', name: 'phoenix', dir });
    await waitForText(statusValue(page, 'Connection'), 'ready', 45_000);
    await waitForText(vmOption(page, 'phoenix'), /ready/);
    await waitForText(page.locator('[aria-live="polite"]'), 'phoenix: ready');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(await page.getByRole('main').getByText(/^Connection problem:/).count()).toBe(0);
  }, 90_000);

  it('disconnects and reconnects on request', async () => {
    const { page } = session;
    await waitForText(statusValue(page, 'Connection'), 'ready');
    const connection = page.getByRole('group', { name: 'Connection actions' });
    await connection.getByRole('button', { name: 'Disconnect' }).click();
    await waitForText(statusValue(page, 'Connection'), /^(disconnected|not connected)$/);
    await connection.getByRole('button', { name: 'Connect' }).click();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(session.browser.errors).toEqual([]);
  });
});
