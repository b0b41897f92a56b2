/**
 * The Live charts card against real QEMU (-M pc, a qcow2 disk, a balloon) in real Chromium
 * through `npm run web`: every chart found by its accessible name, with values in the name.
 *
 * The guest's writes come through a second QMP monitor of the same QEMU (the app holds the
 * first: QEMU serves one client per monitor), as HMP `qemu-io drive0 "aio_write …"`, which
 * QEMU counts in query-blockstats like a guest's I/O.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { startAppSession, type AppSession } from '../support/app-session';
import { pageOverflowX, shootSizesAndThemes } from '../support/screenshots';
import { addConnection, statusValue, UI_TIMEOUT, waitForText } from './app-page';


const charts = (page: Page): Locator => page.getByRole('region', { name: 'Live charts' });
const chart = (page: Page, name: RegExp): Locator => charts(page).getByRole('img', { name });

/** Waits for a chart whose accessible name matches `name`, and returns that name. */
async function chartName(page: Page, name: RegExp, timeout = UI_TIMEOUT): Promise<string> {
  const found = chart(page, name);
  await found.first().waitFor({ timeout });
  return (await found.first().getAttribute('aria-label')) ?? '';
}

describe('live charts', () => {
  let session: AppSession;
  let second: QmpClient | undefined;

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 1600, height: 1000 } });
  }, 90_000);

  afterAll(async () => {
    await second?.close();
    await session?.close();
  });

  it('charts block I/O per device, QEMU CPU and RSS, vCPUs, guest memory and balloon, named with their values', async () => {
    const { page } = session;
    const dir = session.tempDir('qmp-charts-');
    const disk = join(dir, 'disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    const sideSocket = join(dir, 'side.sock');
    const qemu = await session.startQemu({
      machine: 'pc',
      name: 'charts',
      extraArgs: ['-m', '128', '-drive', `if=none,id=drive0,file=${disk},format=qcow2`, '-device', 'virtio-balloon-pci', '-qmp', `unix:${sideSocket},server=on,wait=off`],
    });
    await addConnection(page, qemu.socketPath!);
    await waitForText(statusValue(page, 'Connection'), 'ready');
    await charts(page).waitFor({ timeout: UI_TIMEOUT });

    const cpu = await chartName(page, /^QEMU process CPU \(PID \d+\), percent of one core: QEMU process \d/);
    expect(cpu).toContain(`PID ${qemu.pid}`);
    await chartName(page, /^vCPU threads, host CPU percent of one core: vCPU 0 \d/);
    const memory = await chartName(page, /^Memory, bytes: QEMU resident \(RSS\) \d/);
    expect(memory).toContain('Guest memory 128 MiB');
    expect(memory).toContain('Balloon 128 MiB');
    await chartName(page, /^Block I\/O of drive0, operations per second: /);

    // Write through the second monitor until a sample shows a write rate above zero.
    second = await QmpClient.connect({ kind: 'unix', path: sideSocket });
    const writing = chart(page, /^Block I\/O of drive0, bytes per second: Read [^,]+, Write (?!0 bytes)\d/);
    const deadline = Date.now() + 30_000;
    for (let offset = 0; (await writing.count()) === 0; offset = (offset + 1) % 15) {
      if (Date.now() > deadline) throw new Error(`no write rate shown: ${await chart(page, /^Block I\/O of drive0, bytes per second/).getAttribute('aria-label')}`);
      await second.execute('human-monitor-command', { 'command-line': `qemu-io drive0 "aio_write ${offset}M 1M"` });
      await writing.first().waitFor({ timeout: 1500 }).catch(() => undefined);
    }
    const bytes = (await writing.first().getAttribute('aria-label')) ?? '';
    expect(bytes).toMatch(/Written total \d+(\.\d+)? MiB/);
    // The same numbers are printed beside the chart.
    await waitForText(charts(page).getByRole('definition').filter({ hasText: /MiB$/ }).first(), /MiB/);

    // Hidden, the card stops drawing (and sampling); shown again, the charts come back.
    await charts(page).getByRole('button', { name: 'Hide charts' }).click();
    expect(await chart(page, /./).count()).toBe(0);
    await charts(page).getByRole('button', { name: 'Show charts' }).click();
    await chartName(page, /^Block I\/O of drive0, bytes per second: Read/);
    expect(session.browser.errors).toEqual([]);
  }, 120_000);

  it('takes screenshots of the charts at 800×600 and 1600×1000, light and dark', async () => {
    const { page } = session;
    await shootSizesAndThemes(page, 'charts', {
      prepare: async () => {
        await chart(page, /^Memory, bytes/).waitFor({ timeout: UI_TIMEOUT });
        expect(await pageOverflowX(page)).toBeLessThanOrEqual(0);
        // The card's heading at the top of the view (the main region scrolls, not the page).
        await charts(page).evaluate((element) => {
          type Box = { getBoundingClientRect(): { top: number }; closest(selector: string): (Box & { scrollTop: number }) | null };
          const card = element as unknown as Box;
          const main = card.closest('main');
          if (main) main.scrollTop += card.getBoundingClientRect().top - main.getBoundingClientRect().top - 8;
        });
        await page.mouse.move(0, 0);
      },
    });
    expect(session.browser.errors).toEqual([]);
  }, 60_000);
});
