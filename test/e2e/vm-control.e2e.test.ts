/**
 * Real QEMU (-M pc) steered from real Chromium through `npm run web`.
 *
 * Each case starts its own QEMU in the state it needs and adds it (the newest VM is the one
 * shown), so any case can run alone or in any order. The run state must only ever be what
 * QEMU reported: the Pause case freezes QEMU (SIGSTOP) while the command is in flight and
 * checks the UI still shows the old state.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { waitFor, type TestQemu } from '../support/qemu';
import { actionButton, addConnection, statusValue, vmOption, waitForText } from './app-page';

/** The recent-events list items of the VM shown, newest first. */
const recentEvents = (page: Page) => page.getByRole('list', { name: 'Recent events, newest first' }).getByRole('listitem');

describe('an empty app', () => {
  let session: AppSession;
  beforeAll(async () => {
    session = await startAppSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('starts empty and offers the demo VM', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Start demo VM' }).waitFor();
    expect(await page.getByRole('option').count()).toBe(0);
    expect(session.browser.errors).toEqual([]);
  });
});

describe('steering one VM from the browser', () => {
  let session: AppSession;
  beforeAll(async () => {
    session = await startAppSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  /** Starts a QEMU named `name` (paused in prelaunch unless `running`), adds it and waits until it is shown and ready. */
  async function addFreshVm(name: string, { running = false } = {}): Promise<TestQemu> {
    const qemu = await session.startQemu({ machine: 'pc', name, paused: !running });
    await addConnection(session.page, qemu.socketPath!);
    await vmOption(session.page, name).waitFor();
    await waitForText(session.page.getByRole('heading', { level: 2 }), name);
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
    await waitForText(statusValue(session.page, 'Run state'), running ? 'running' : 'prelaunch');
    return qemu;
  }

  it('adds a VM by socket path and shows what QEMU reports', async () => {
    const { page } = session;
    await addFreshVm('vm-added');
    await waitForText(statusValue(page, 'QEMU version'), /^QEMU 7\.\d+\.\d+$/);
    await waitForText(statusValue(page, 'Memory'), /MiB base/);
    expect(await page.getByRole('heading', { level: 2, name: 'vm-added' }).isVisible()).toBe(true);
    expect(await vmOption(page, 'vm-added').getAttribute('aria-selected')).toBe('true');
    const cpuRows = page.getByRole('table', { name: 'Virtual CPUs' }).getByRole('row');
    await waitForText(cpuRows.nth(1), /x86_64/);
    expect(await actionButton(page, 'Pause').isDisabled()).toBe(true);
    expect(await actionButton(page, 'Resume').isEnabled()).toBe(true);
    expect(session.browser.errors).toEqual([]);
  });

  it('Resume runs the guest and the RESUME event sets the state', async () => {
    const { page } = session;
    await addFreshVm('vm-resume');
    await actionButton(page, 'Resume').click();
    await waitForText(statusValue(page, 'Run state'), 'running');
    await waitForText(statusValue(page, 'Reported by'), /RESUME event/);
    await waitForText(recentEvents(page).first(), /RESUME/);
    expect(session.browser.errors).toEqual([]);
  });

  it('Pause shows paused only once QEMU has answered with STOP', async () => {
    const { page } = session;
    const qemu = await addFreshVm('vm-pause', { running: true });
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
    expect(session.browser.errors).toEqual([]);
  });

  it('Reset asks first and then resets the guest', async () => {
    const { page } = session;
    await addFreshVm('vm-reset');
    await actionButton(page, 'Reset').click();
    const dialog = page.getByRole('dialog', { name: 'Reset vm-reset?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await actionButton(page, 'Reset').click();
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForText(recentEvents(page).first(), /RESET.*host-qmp-system-reset/);
    // QEMU moves a reset guest that was not running back to prelaunch; the UI shows exactly that.
    await waitForText(statusValue(page, 'Run state'), 'prelaunch');
    expect(session.browser.errors).toEqual([]);
  });

  it('Quit asks first, QEMU exits, and the VM shows as disconnected', async () => {
    const { page } = session;
    const qemu = await addFreshVm('vm-quit');
    await actionButton(page, 'Quit').click();
    await page.getByRole('dialog', { name: 'Quit vm-quit?' }).getByRole('button', { name: 'Quit', exact: true }).click();
    await waitFor(() => qemu.process.exitCode !== null || qemu.process.signalCode !== null, 'QEMU to exit after quit');
    await waitForText(recentEvents(page).first(), /SHUTDOWN.*host-qmp-quit/);
    await waitForText(statusValue(page, 'Connection'), /^(reconnecting|connecting|failed)/);
    expect(await actionButton(page, 'Pause').isDisabled()).toBe(true);
    expect(session.browser.errors).toEqual([]);
  });
});
