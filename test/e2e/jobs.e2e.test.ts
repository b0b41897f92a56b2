/**
 * The Jobs and Migration cards against real QEMU (-M pc -S, a qcow2 disk) in real Chromium
 * through `npm run web`, checked by role and name as a user (or a screen reader) finds them.
 *
 * A second QMP monitor of the same QEMU plays "someone else" starting the jobs (the app holds
 * the first; QEMU sends events to both): a speed-limited drive-mirror shows a row with a named
 * progressbar, Complete stays unavailable (with the reason) until the mirror is ready, and
 * pressing it ends the job, whose row then stays with its outcome until Dismiss. A migration
 * to a second local QEMU shows its progress bar and chart. Screenshots at 800×600 and
 * 1600×1000, light and dark, go to test/artifacts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { QmpConnectionError } from '../../electron/core/qmp/errors';
import { parseTarget } from '../../electron/core/qmp/target';
import { startAppSession, type AppSession } from '../support/app-session';
import { shootSizesAndThemes } from '../support/screenshots';
import { waitFor } from '../support/qemu';
import { addConnection, statusValue, UI_TIMEOUT, waitForText } from './app-page';

const MiB = 1024 * 1024;
/** Under TCG on two shared cores, a job's steps get long deadlines. */
const JOB_TIMEOUT = 60_000;

/** A second monitor of a QEMU, for the test to act as another QMP client. */
async function driverFor(socket: string): Promise<QmpClient> {
  let driver: QmpClient | undefined;
  await waitFor(async () => {
    try {
      driver = await QmpClient.connect(parseTarget(`unix:${socket}`));
      return true;
    } catch (error) {
      if (error instanceof QmpConnectionError) return false;
      throw error;
    }
  }, 'the second monitor', JOB_TIMEOUT);
  return driver!;
}

function jobRow(page: Page, id: string): Locator {
  return page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${id} `) }) });
}

async function valueNow(progress: Locator): Promise<number> {
  return Number(await progress.getAttribute('aria-valuenow'));
}

async function shoot(page: Page, name: string): Promise<void> {
  await shootSizesAndThemes(page, name, {
    prepare: () => page.getByRole('heading', { name: 'Jobs', exact: true }).scrollIntoViewIfNeeded(),
  });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('jobs and migration in the app', () => {
  let session: AppSession;
  const drivers: QmpClient[] = [];

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(drivers.map((driver) => driver.close()));
    await session?.close();
  });

  it('shows a mirror as a row with a named progressbar, completes it with Complete and keeps the outcome until Dismiss', async () => {
    const { page } = session;
    const dir = session.tempDir('qmp-jobs-e2e-');
    const disk = join(dir, 'disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -q -P 0x5a 0 16M', disk]);
    const second = join(dir, 'driver.sock');
    const incoming = join(dir, 'migrate.sock');
    const qemu = await session.startQemu({
      machine: 'pc',
      name: 'jobs-guest',
      extraArgs: [
        '-qmp', `unix:${second},server=on,wait=off`,
        '-blockdev', `driver=qcow2,node-name=disk0,file.driver=file,file.filename=${disk}`,
        '-device', 'ide-hd,drive=disk0,bus=ide.0',
      ],
    });
    const driver = await driverFor(second);
    drivers.push(driver);
    await addConnection(page, qemu.socketPath!);
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await page.getByText('No block or generic jobs', { exact: false }).waitFor({ timeout: UI_TIMEOUT });

    await driver.execute('drive-mirror', {
      'job-id': 'mirror0',
      device: 'disk0',
      target: join(dir, 'copy.qcow2'),
      format: 'qcow2',
      mode: 'absolute-paths',
      sync: 'full',
      speed: 2 * MiB,
      'buf-size': 256 * 1024,
      granularity: 64 * 1024,
    });
    const progress = page.getByRole('progressbar', { name: 'Progress of job mirror0' });
    await progress.waitFor({ timeout: JOB_TIMEOUT });
    await waitFor(async () => (await valueNow(progress)) > 0, 'progress above 0', JOB_TIMEOUT);
    expect(await valueNow(progress)).toBeLessThan(100);
    const row = jobRow(page, 'mirror0');
    await waitForText(row.getByRole('rowheader'), /mirror0\s*mirror/);
    const complete = row.getByRole('button', { name: 'Complete', exact: true });
    expect(await complete.getAttribute('aria-disabled')).toBe('true');
    expect(await complete.getAttribute('title')).toContain('only when the job is ready; it is running');

    // Pause from the row: Resume opens, Pause closes with its reason.
    await row.getByRole('button', { name: 'Pause', exact: true }).click();
    const resume = row.getByRole('button', { name: 'Resume', exact: true });
    await waitFor(async () => (await resume.getAttribute('aria-disabled')) === 'false', 'Resume to open', JOB_TIMEOUT);
    expect(await row.getByRole('button', { name: 'Pause', exact: true }).getAttribute('title')).toContain('already paused');
    await shoot(page, 'jobs-running');
    await resume.click();

    await driver.execute('block-job-set-speed', { device: 'mirror0', speed: 0 });
    await waitForText(row.getByRole('cell').nth(0), /^ready/, JOB_TIMEOUT);
    await waitFor(async () => (await complete.getAttribute('aria-disabled')) === 'false', 'Complete to open', JOB_TIMEOUT);
    await complete.click();
    await waitForText(row.getByRole('cell').nth(0), /ended: completed/, JOB_TIMEOUT);
    expect(await valueNow(progress)).toBe(100);
    expect(await row.getByRole('button', { name: 'Cancel', exact: true }).getAttribute('aria-disabled')).toBe('true');

    // A migration to a second QEMU: progress bar and chart while it runs, `completed` after.
    // The destination needs the same devices; its own (blank) image, since the source holds a lock on its disk.
    const destinationDisk = join(dir, 'destination.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', destinationDisk, '16M']);
    const destination = await session.startQemu({
      machine: 'pc',
      extraArgs: [
        '-incoming', `unix:${incoming}`,
        '-blockdev', `driver=qcow2,node-name=disk0,file.driver=file,file.filename=${destinationDisk}`,
        '-device', 'ide-hd,drive=disk0,bus=ide.0',
      ],
    });
    expect(destination.pid).toBeGreaterThan(0);
    // QEMU binds the incoming socket after its monitor: wait for it, or the source finds nothing to connect to.
    await waitFor(() => existsSync(incoming), 'the incoming migration socket', JOB_TIMEOUT);
    await driver.execute('migrate-set-parameters', { 'max-bandwidth': 16 * 1024 });
    await driver.execute('migrate', { uri: `unix:${incoming}` });
    const migration = page.getByRole('progressbar', { name: 'Migration progress' });
    await migration.waitFor({ timeout: JOB_TIMEOUT });
    await page
      .getByRole('img', { name: /^Migration: bytes transferred over time/ })
      .waitFor({ timeout: JOB_TIMEOUT })
      .catch(async (error: unknown) => {
        throw new Error(`the Live migration card showed ${await page.getByRole('region', { name: 'Live migration', exact: true }).innerText()}`, { cause: error });
      });
    await waitForText(page.getByRole('region', { name: 'Live migration', exact: true }).getByLabel('Status', { exact: true }), 'active', JOB_TIMEOUT);
    await shoot(page, 'jobs-migration');
    await driver.execute('migrate-set-parameters', { 'max-bandwidth': 1024 * MiB });
    await waitForText(page.getByRole('region', { name: 'Live migration', exact: true }).getByLabel('Status', { exact: true }), 'completed', JOB_TIMEOUT);
    expect(await valueNow(migration)).toBe(100);

    await row.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByText('No block or generic jobs', { exact: false }).waitFor({ timeout: UI_TIMEOUT });
  }, 240_000);
});
