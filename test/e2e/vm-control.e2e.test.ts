/**
 * One real QEMU (-M pc -S) steered from real Chromium through `npm run web`.
 *
 * The run state must only ever be what QEMU reported: the Pause test freezes QEMU (SIGSTOP)
 * while the command is in flight and checks the UI still shows the old state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { killAllQemu, startQemu, waitFor, type TestQemu } from '../support/qemu';
import { startWebServer, type TestWebServer } from '../support/web-server';
import { actionButton, addConnection, assertRendererBuilt, openApp, statusValue, vmOption, waitForText } from './app-page';

describe('steering one VM from the browser', () => {
  let qemu: TestQemu;
  let server: TestWebServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    assertRendererBuilt();
    [qemu, server, browser] = await Promise.all([startQemu({ machine: 'pc', name: 'vm1' }), startWebServer(), launchBrowser()]);
    await openApp(browser.page, server.url);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    if (qemu?.process.exitCode === null && qemu.process.signalCode === null) process.kill(qemu.pid, 'SIGCONT');
    await killAllQemu();
  });

  it('starts empty and offers the demo VM', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Start demo VM' }).waitFor();
    expect(await page.getByRole('option').count()).toBe(0);
  });

  it('adds a VM by socket path and shows what QEMU reports', async () => {
    const { page } = browser;
    await addConnection(page, qemu.socketPath!);
    await vmOption(page, 'vm1').waitFor();
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await waitForText(statusValue(page, 'QEMU version'), /^QEMU 7\.\d+\.\d+$/);
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    await waitForText(statusValue(page, 'Memory'), /MiB base/);
    expect(await page.getByRole('heading', { level: 2, name: 'vm1' }).isVisible()).toBe(true);
    expect(await vmOption(page, 'vm1').getAttribute('aria-selected')).toBe('true');
    const cpuRows = page.getByRole('table', { name: 'Virtual CPUs' }).getByRole('row');
    await waitForText(cpuRows.nth(1), /x86_64/);
    expect(await actionButton(page, 'Pause').isDisabled()).toBe(true);
    expect(await actionButton(page, 'Resume').isEnabled()).toBe(true);
  });

  it('Resume runs the guest and the RESUME event sets the state', async () => {
    const { page } = browser;
    await actionButton(page, 'Resume').click();
    await waitForText(statusValue(page, 'Run state'), 'running');
    await waitForText(statusValue(page, 'Reported by'), /RESUME event/);
    const events = page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem');
    await waitForText(events.first(), /RESUME/);
  });

  it('Pause shows paused only once QEMU has answered with STOP', async () => {
    const { page } = browser;
    process.kill(qemu.pid, 'SIGSTOP');
    try {
      await actionButton(page, 'Pause').click();
      await page.getByRole('toolbar', { name: 'VM actions' }).getByText('Waiting for QEMU (stop)…').waitFor();
      // QEMU is frozen, so nothing it could have said has arrived: the UI must not guess.
      expect((await statusValue(page, 'Run state').textContent())?.trim()).toBe('running');
    } finally {
      process.kill(qemu.pid, 'SIGCONT');
    }
    await waitForText(statusValue(page, 'Run state'), 'paused');
    await waitForText(statusValue(page, 'Reported by'), /STOP event/);
    expect(await actionButton(page, 'Resume').isEnabled()).toBe(true);
    expect(await actionButton(page, 'Pause').isDisabled()).toBe(true);
  });

  it('Reset asks first and then resets the guest', async () => {
    const { page } = browser;
    await actionButton(page, 'Reset').click();
    const dialog = page.getByRole('dialog', { name: 'Reset vm1?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await actionButton(page, 'Reset').click();
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    const events = page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem');
    await waitForText(events.first(), /RESET.*host-qmp-system-reset/);
    // QEMU moves a reset guest that was not running back to prelaunch; the UI shows exactly that.
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
  });

  it('Quit asks first, QEMU exits, and the VM shows as disconnected', async () => {
    const { page } = browser;
    await actionButton(page, 'Quit').click();
    await page.getByRole('dialog', { name: 'Quit vm1?' }).getByRole('button', { name: 'Quit', exact: true }).click();
    await waitFor(() => qemu.process.exitCode !== null || qemu.process.signalCode !== null, 'QEMU to exit after quit');
    const events = page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem');
    await waitForText(events.first(), /SHUTDOWN.*host-qmp-quit/);
    await waitForText(statusValue(page, 'Connection'), /^(reconnecting|connecting|failed)/);
    expect(await actionButton(page, 'Pause').isDisabled()).toBe(true);
  });

  it('reported no page errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
