/**
 * The renderer's web-bridge client in real Chromium against the real web server.
 *
 * The client module is bundled into the stand-in renderer's assets (the page's CSP allows only
 * same-origin scripts), so it runs exactly as the UI would run it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu, type TestQemu } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';

const root = resolve(__dirname, '../..');
let rendererDir = '';
let bundle = '';
let browser: Browser;
const servers: TestWebServer[] = [];
const qemus: TestQemu[] = [];

beforeAll(async () => {
  bundle = await buildWebBundle();
  rendererDir = makeTempDir('qmp-web-client-');
  mkdirSync(join(rendererDir, 'assets'));
  buildSync({
    entryPoints: [join(root, 'renderer/src/api/web-bridge-client.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'bridge',
    platform: 'browser',
    outfile: join(rendererDir, 'assets', 'bridge.js'),
  });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bridge test</title><script src="./assets/bridge.js"></script>');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
});
afterAll(async () => {
  await browser?.close();
  await killAllQemu();
});

async function open(args: string[] = []): Promise<{ server: TestWebServer; page: Page }> {
  const server = await startWebServer(args, { bundle, env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
  servers.push(server);
  const page = await browser.newPage();
  await page.goto(server.url);
  return { server, page };
}

/**
 * What the test page exposes, typed locally: the Node-side type check has no DOM library, so
 * it must not pull in the browser module's types.
 */
interface PageApi {
  getAppInfo(p: object): Promise<{ host: string }>;
  addVm(p: { target: string }): Promise<unknown>;
  listVms(p: object): Promise<{ config: { id: string }; connection: { phase: string } }[]>;
  executeCommand(p: { vmId: string; command: string; timeoutMs?: number }): Promise<unknown>;
  getDemo(p: object): Promise<unknown>;
  on(channel: 'events', listener: (payload: { events: { event: string }[] }) => void): () => void;
  onClosed(listener: (reason: string) => void): () => void;
  readonly closed: Promise<string>;
}
interface BridgeWindow {
  bridge: {
    connectWebBridge(url: string): Promise<PageApi>;
    bridgeUrlFromLocation(location: { host: string; search: string }): string;
  };
  api: PageApi;
  seen: string[];
  location: { host: string; search: string };
}

describe('connectWebBridge in Chromium', () => {
  it('builds the same API: requests resolve, validation errors reject, pushes arrive', async () => {
    const qemu = await startQemu({ machine: 'pc' });
    qemus.push(qemu);
    const { page } = await open(['--connect', qemu.target]);
    const result = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      w.api = await w.bridge.connectWebBridge(w.bridge.bridgeUrlFromLocation(w.location));
      w.seen = [];
      w.api.on('events', (p) => w.seen.push(...p.events.map((e) => e.event)));
      const info = await w.api.getAppInfo({});
      const bad = await w.api.addVm({ target: 'no-port' }).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      for (;;) {
        const [vm] = await w.api.listVms({});
        if (vm?.connection.phase === 'ready') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [vm] = await w.api.listVms({});
      const cont = await w.api.executeCommand({ vmId: vm!.config.id, command: 'cont' });
      return { host: info.host, bad, cont };
    });
    expect(result.host).toBe('web');
    expect(result.bad).toMatch(/no-port/);
    expect(result.cont).toMatchObject({ ok: true, returnJson: '{}' });
    await page.waitForFunction(() => (globalThis as unknown as BridgeWindow).seen.includes('RESUME'));
  });

  it('rejects a pending request and reports closure when the server goes away', async () => {
    const qemu = await startQemu();
    qemus.push(qemu);
    const { server, page } = await open(['--connect', qemu.target]);
    await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      w.api = await w.bridge.connectWebBridge(w.bridge.bridgeUrlFromLocation(w.location));
      w.seen = [];
      w.api.onClosed((reason) => w.seen.push(`closed: ${reason}`));
      for (;;) {
        const [vm] = await w.api.listVms({});
        if (vm?.connection.phase === 'ready') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    // A frozen QEMU never answers, so the command below stays pending until the bridge drops.
    process.kill(qemu.pid, 'SIGSTOP');
    await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      const [vm] = await w.api.listVms({});
      // Not awaited: the request is on the wire and pending when this returns.
      void w.api.executeCommand({ vmId: vm!.config.id, command: 'query-status', timeoutMs: 600_000 }).then(
        () => w.seen.push('resolved'),
        (e: Error) => w.seen.push(`rejected: ${e.message}`),
      );
    });
    await server.stop('SIGKILL');
    await page.waitForFunction(() => (globalThis as unknown as BridgeWindow).seen.length >= 2);
    const after = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      const late = await w.api.getDemo({}).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      return { reason: await w.api.closed, late, seen: w.seen };
    });
    expect(after.reason).toMatch(/connection closed \(code 1006\)/);
    // Close listeners run synchronously; the rejection settles a microtask later.
    expect(after.seen).toEqual([`closed: ${after.reason}`, `rejected: bridge disconnected: ${after.reason}`]);
    expect(after.late).toBe(`bridge disconnected: ${after.reason}`);
  });

  it('rejects with a clear error when the token is wrong', async () => {
    const { page } = await open();
    const message = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      return w.bridge.connectWebBridge(`ws://${w.location.host}/bridge?token=wrong`).then(
        () => 'connected',
        (e: Error) => e.message,
      );
    });
    expect(message).toMatch(/refused the connection.*open the URL printed by npm run web/);
  });
});
