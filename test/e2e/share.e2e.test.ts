/**
 * "Share this monitor" in real Chromium against real QEMU: the switch (on by default), the
 * endpoint path with its Copy button, and a row for a QMP client connected through the
 * endpoint, updating live as it sends commands; the switch works from the keyboard; the card
 * fits 800×600 in light and dark without sideways scrolling.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppSession, type AppSession } from '../support/app-session';
import { makeTempDir, removeTempDir, waitFor, type TestQemu } from '../support/qemu';
import { addConnection, statusValue, UI_TIMEOUT, waitForText } from './app-page';

/** A bare-socket QMP client (nothing of ours): negotiates, then sends what it is told. */
function rawClient(path: string) {
  const socket: Socket = connect(path);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  return {
    received: () => text,
    send: (message: object) => socket.write(`${JSON.stringify(message)}\n`),
    close: () => socket.destroy(),
  };
}

function shareCard(page: Page) {
  return page.getByRole('region', { name: 'Shared monitor' });
}

describe('sharing a monitor from the status panel', () => {
  let session: AppSession;
  let vm: TestQemu;
  // The server's own runtime folder, so its endpoints and held-target entries stay in the test.
  const runtime = makeTempDir('qmp-e2e-runtime-');

  beforeAll(async () => {
    session = await startAppSession({ viewport: { width: 800, height: 600 }, serverEnv: { QMP_MONITOR_RUNTIME_DIR: runtime } });
    vm = await session.startQemu({ machine: 'pc', name: 'shared-01' });
    await addConnection(session.page, vm.socketPath!);
    await waitForText(statusValue(session.page, 'Connection'), 'ready');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    removeTempDir(runtime);
  });

  it('shows the switch on, the endpoint path, and a connected client\u2019s row live', async () => {
    const { page } = session;
    const card = shareCard(page);
    const toggle = card.getByRole('switch', { name: 'Share this monitor' });
    await toggle.waitFor({ timeout: UI_TIMEOUT });
    expect(await toggle.isChecked()).toBe(true);
    const endpoint = card.getByLabel('Endpoint', { exact: true });
    await waitForText(endpoint, /\.sock$/);
    const path = (await endpoint.textContent())!.trim();
    expect(path.startsWith(`${runtime}/`)).toBe(true);
    await card.getByRole('button', { name: 'Copy endpoint path' }).waitFor({ timeout: UI_TIMEOUT });
    await waitForText(card, /No other client is connected\./);

    const client = rawClient(path);
    try {
      await waitFor(() => client.received().includes('"QMP"'), 'the greeting through the endpoint', UI_TIMEOUT);
      client.send({ execute: 'qmp_capabilities' });
      const table = card.getByRole('table', { name: 'Clients of the shared monitor' });
      const comm = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
      const row = table.getByRole('row').nth(1);
      await waitForText(row.getByRole('cell').nth(1), String(process.pid));
      await waitForText(row.getByRole('cell').first(), comm);
      client.send({ execute: 'query-status', id: 1 });
      await waitForText(row.getByRole('cell').nth(3), '1');
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Process', 'PID', 'Connected since', 'Commands']);

      // The timeline names the client for what it did.
      await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
      await page.getByText(`${comm} (pid ${process.pid}): query-status → ok`).first().waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('tab', { name: 'Status', exact: true }).click();
      await card.waitFor({ timeout: UI_TIMEOUT });
    } finally {
      client.close();
    }
    await waitForText(card, /No other client is connected\./);
    // Its going is on the timeline too, with the reason.
    const comm = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
    await page.getByText(`${comm} (pid ${process.pid}) disconnected: it closed the connection after 1 command(s)`).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('tab', { name: 'Status', exact: true }).click();
    await card.waitFor({ timeout: UI_TIMEOUT });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits 800×600 (${colorScheme}) with no sideways scrolling`, async () => {
      const { page } = session;
      await page.emulateMedia({ colorScheme });
      const card = shareCard(page);
      await card.scrollIntoViewIfNeeded();
      const fits = await page.evaluate<{ scroll: number; client: number }[]>(`(() => {
        const boxes = [document.scrollingElement, document.querySelector('main'), document.querySelector('[aria-labelledby="share-title"]')];
        return boxes.map((el) => ({ scroll: el ? el.scrollWidth : -1, client: el ? el.clientWidth : -1 }));
      })()`);
      for (const box of fits) expect(box.client > 0 && box.scroll <= box.client, JSON.stringify(fits)).toBe(true);
      await page.screenshot({ path: resolve(__dirname, `../artifacts/share-800x600-${colorScheme}.png`) });
    });
  }

  it('turns sharing off and on from the keyboard', async () => {
    const { page } = session;
    const card = shareCard(page);
    const toggle = card.getByRole('switch', { name: 'Share this monitor' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await waitForText(card, /Off: while the app is connected/);
    expect(await toggle.isChecked()).toBe(false);
    expect(await card.getByLabel('Endpoint', { exact: true }).count()).toBe(0);
    await page.keyboard.press('Space');
    await waitForText(card.getByLabel('Endpoint', { exact: true }), /\.sock$/);
    expect(await toggle.isChecked()).toBe(true);
  });
});
