/**
 * The timeline under a flood, in real Chromium through `npm run web`: the page falls behind,
 * says "Catching up", is caught up by the core's pushes and ends current with every event counted; a
 * reload loads the whole history (far more than the newest 10,000) with a progress bar.
 *
 * The flood comes from a fake QMP peer (QEMU cannot emit hundreds of thousands of events on
 * demand); everything else is the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startAppSession, type AppSession } from '../support/app-session';
import { flood, floodPeerCommands } from '../support/event-flood';
import { startFakeQmpServer, type FakeConnection, type FakeQmpServer } from '../support/fake-qmp-server';
import { UI_TIMEOUT, vmOption, waitForText } from './app-page';
import { readBridgeMessage } from '../../electron/common/compact-events';

/** Events in the flood: enough that one page of the catch-up (50,000) cannot hold them. */
const FLOOD = 300_000;

/** The newest seq the core holds, asked over the bridge as the page would ask. */
async function coreLastSeq(session: AppSession): Promise<number> {
  const socket = new NodeWebSocket(session.server.bridgeUrl, { origin: session.server.origin });
  try {
    return await new Promise<number>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('message', (data: Buffer, isBinary) => {
        const message = readBridgeMessage(data, isBinary) as { t: string; result?: { lastSeq: number } };
        if (message.t === 'hello') socket.send(JSON.stringify({ t: 'req', id: 1, method: 'getEvents', params: { afterSeq: -1, limit: 1 } }));
        else if (message.t === 'res' && message.result) resolve(message.result.lastSeq);
      });
    });
  } finally {
    socket.close();
  }
}

const countText = (n: number) => `${n.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} events`;

describe('the timeline under a flood', () => {
  let session: AppSession;
  let peer: FakeQmpServer;
  let connection: FakeConnection;

  beforeAll(async () => {
    peer = await startFakeQmpServer({ onCommand: floodPeerCommands('flood-vm') });
    session = await startAppSession({ serverArgs: ['--connect', peer.target, '--no-journal'], viewport: { width: 1600, height: 1000 } });
    connection = await peer.nextConnection();
    await vmOption(session.page, 'flood-vm').waitFor({ timeout: UI_TIMEOUT });
  }, 90_000);

  afterAll(async () => {
    await session?.close();
    await peer?.close();
  });

  it('says it is catching up when the page falls behind a flood, then ends current with every event', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const catchingUp = page.getByRole('status').filter({ hasText: /^Catching up: [\d,]+ events? behind$/ });
    // Every status line the page shows from now on, recorded in the page: the notice may come
    // and go between two polls from here.
    await page.evaluate(`{
      const seen = (window.__statuses = []);
      new MutationObserver(() => {
        for (const status of document.querySelectorAll('[role="status"]')) if (status.textContent) seen.push(status.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    }`);
    // A page that keeps up never falls behind (on a quiet machine this one may): its main thread
    // is held busy for 3 s while the flood starts, as a long task or a GC pause would hold it, so
    // the core logs far more than the flow's window lets it send meanwhile.
    const busy = page.evaluate(() => {
      const end = performance.now() + 3_000;
      while (performance.now() < end) {
        // nothing: the point is not to yield
      }
    });
    const flooding = flood(connection, FLOOD, Number.POSITIVE_INFINITY);
    await busy;
    await flooding;
    const floodWritten = Date.now();
    // The core may still be reading the socket: wait until it holds the whole flood, then for the page.
    let lastSeq = -1;
    while (lastSeq < FLOOD) {
      lastSeq = await coreLastSeq(session);
      if (Date.now() - floodWritten > 60_000) throw new Error(`the core holds only ${lastSeq + 1} events a minute after the flood`);
    }
    const coreHasAll = Date.now();
    // Every QEMU event plus the app's "connected" marker: counts match end to end.
    await waitForText(page.getByText(/^[\d,]+ of [\d,]+ events/), countText(lastSeq + 1), 60_000);
    const current = Date.now();
    await catchingUp.first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const statuses = await page.evaluate(() => (globalThis as unknown as { __statuses: string[] }).__statuses);
    expect(statuses.some((text) => /^Catching up: [\d,]+ events? behind$/.test(text))).toBe(true);
    expect(session.browser.errors).toEqual([]);
    console.info(
      `[timeline-flood] ${FLOOD} events written as fast as the socket took them; core had all ${coreHasAll - floodWritten} ms after the last write; page current ${current - coreHasAll} ms after that`,
    );
  }, 240_000);

  it('after a reload loads the whole history, far more than the newest 10,000, with a progress bar', async () => {
    const { page } = session;
    const lastSeq = await coreLastSeq(session);
    expect(lastSeq + 1).toBeGreaterThan(10_000);
    // Every state of the progress bar, recorded in the page from its first script on: the bar may
    // come and go between two polls from here on a fast run.
    await page.addInitScript({
      content: `window.__bars = [];
new MutationObserver(() => {
  const bar = document.querySelector('[role="progressbar"][aria-label="Loading history"]');
  if (bar) window.__bars.push([Number(bar.getAttribute('aria-valuenow')), Number(bar.getAttribute('aria-valuemax')), bar.textContent]);
  const main = document.querySelector('main');
  const statuses = [...document.querySelectorAll('[role="status"]')].map((e) => e.textContent).join(' | ');
  (window.__seen ??= []).push((main ? main.getAttribute('aria-labelledby') : 'no main') + ': ' + statuses.slice(0, 80));
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });`,
    });
    const started = Date.now();
    await page.reload();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await waitForText(page.getByText(/^[\d,]+ of [\d,]+ events/), countText(lastSeq + 1), 60_000);
    await page.getByRole('progressbar', { name: 'Loading history' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const bars = (await page.evaluate(() => (globalThis as unknown as { __bars: [number, number, string][] }).__bars)).filter(([now]) => now > 0);
    if (bars.length === 0) {
      // Say what the page showed instead (which view, which status lines), for the failure.
      const seen = await page.evaluate(() => (globalThis as unknown as { __seen?: string[] }).__seen ?? []);
      throw new Error(`no "Loading history" bar was ever shown; the page showed ${JSON.stringify([...new Set(seen)].slice(0, 40))}`);
    }
    expect(bars.every(([now, max]) => max === lastSeq + 1 && now < max)).toBe(true);
    expect(bars[0]![2]).toMatch(/^Loading history: [\d,]+ of [\d,]+$/);
    const loadedMs = Date.now() - started;
    // The oldest row is the flood's first event, long before the newest 10,000.
    const list = page.getByRole('listbox', { name: /Timeline events/ });
    await list.focus();
    await page.keyboard.press('Home');
    await list.getByRole('option', { name: /^connected on flood-vm/ }).first().waitFor({ timeout: UI_TIMEOUT });
    expect(session.browser.errors).toEqual([]);
    console.info(`[timeline-flood] reload: ${lastSeq + 1} events of history loaded in ${loadedMs} ms`);
  }, 240_000);
});
