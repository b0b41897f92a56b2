/**
 * The renderer's web-bridge client (and the store over it) in real Chromium against the real
 * web server.
 *
 * The client module and the store are bundled into the stand-in renderer's assets (the page's
 * CSP allows only same-origin scripts), so they run exactly as the UI would run them. Every
 * wait inside the page has a deadline, so a broken bridge fails the test instead of hanging it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { MAX_REQUEST_BYTES } from '../../electron/web/ws-bridge';
import { killAllQemu, makeTempDir, removeTempDir, startQemu, type TestQemu } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';
import { readBridgeMessage } from '../../electron/common/compact-events';

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
    stdin: {
      contents: "export * from './renderer/src/api/web-bridge-client';\nexport { MonitorStore } from './renderer/src/state/monitor-store';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'bridge',
    platform: 'browser',
    outfile: join(rendererDir, 'assets', 'bridge.js'),
  });
  const untilHelper = 'window.until = async (check, what, ms = 15000) => { const end = Date.now() + ms; while (!(await check())) { if (Date.now() > end) throw new Error("timed out waiting for " + what); await new Promise((r) => setTimeout(r, 20)); } };';
  writeFileSync(join(rendererDir, 'assets', 'until.js'), untilHelper);
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>bridge test</title><script src="./assets/until.js"></script><script src="./assets/bridge.js"></script>',
  );
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
});
afterAll(async () => {
  await browser?.close();
  await killAllQemu();
  if (rendererDir) removeTempDir(rendererDir);
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
  executeCommand(
    p: { vmId: string; command: string; timeoutMs?: number; argumentsJson?: string },
    options?: { signal?: unknown },
  ): Promise<unknown>;
  getDemo(p: object): Promise<unknown>;
  getEvents(p: { afterSeq: number; limit?: number }): Promise<{ events: { seq: number }[]; lastSeq: number }>;
  on(channel: 'events', listener: (payload: { events: { event: string }[] }) => void): () => void;
  onLink(listener: (event: { kind: string; reason?: string; attempt: number; nextRetryAt?: number | null }) => void): () => void;
  close(): void;
}
interface PageState {
  events: { last(): { seq: number } | undefined; toArray(): { seq: number }[] };
  vms: readonly { connection: { phase: string } }[];
  coreLost: string | null;
  reconnecting: { attempt: number; catchingUp: boolean } | null;
}
interface PageStore {
  start(): Promise<void>;
  stop(): void;
  getState(): PageState;
}
interface BridgeWindow {
  bridge: {
    connectWebBridge(url: string): Promise<PageApi>;
    bridgeUrlFromLocation(location: { host: string; search: string }): string;
    MonitorStore: new (api: PageApi) => PageStore;
  };
  api: PageApi;
  store: PageStore;
  seen: string[];
  location: { host: string; search: string };
  until(check: () => boolean | Promise<boolean>, what: string, ms?: number): Promise<void>;
  AbortController: typeof AbortController;
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
      await w.until(async () => (await w.api.listVms({}))[0]?.connection.phase === 'ready', 'the VM to be ready');
      const [vm] = await w.api.listVms({});
      const cont = await w.api.executeCommand({ vmId: vm!.config.id, command: 'cont' });
      return { host: info.host, bad, cont };
    });
    expect(result.host).toBe('web');
    expect(result.bad).toMatch(/no-port/);
    expect(result.cont).toMatchObject({ ok: true, returnJson: '{}' });
    await page.waitForFunction(() => (globalThis as unknown as BridgeWindow).seen.includes('RESUME'));
  });

  it('rejects a pending request and reports the drop and each failed retry when the server goes away', async () => {
    const qemu = await startQemu();
    qemus.push(qemu);
    const { server, page } = await open(['--connect', qemu.target]);
    await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      w.api = await w.bridge.connectWebBridge(w.bridge.bridgeUrlFromLocation(w.location));
      w.seen = [];
      w.api.onLink((e) => w.seen.push(`${e.kind} ${e.attempt}: ${e.reason ?? ''}`));
      await w.until(async () => (await w.api.listVms({}))[0]?.connection.phase === 'ready', 'the VM to be ready');
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
    // The drop, the rejection, then the first retry failing (0.25 s later) with the next scheduled.
    await page.waitForFunction(() => (globalThis as unknown as BridgeWindow).seen.length >= 3, undefined, { timeout: 15_000 });
    const after = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      const late = await w.api.getDemo({}).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      w.api.close();
      return { late, seen: w.seen.slice(0, 3) };
    });
    const reason = 'connection closed (code 1006)';
    // Link listeners run synchronously; the rejection settles a microtask later.
    expect(after.seen).toEqual([`lost 1: ${reason}`, `rejected: bridge disconnected: ${reason}`, expect.stringMatching(/^lost 2: could not reach the server/)]);
    expect(after.late).toMatch(/^bridge disconnected: /);
  });

  it('cancels a pending request at once over the real bridge; the late reply is dropped', async () => {
    const qemu = await startQemu();
    qemus.push(qemu);
    const { page } = await open(['--connect', qemu.target]);
    await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      w.api = await w.bridge.connectWebBridge(w.bridge.bridgeUrlFromLocation(w.location));
      w.seen = [];
      await w.until(async () => (await w.api.listVms({}))[0]?.connection.phase === 'ready', 'the VM to be ready');
    });
    // Frozen, QEMU cannot answer: the request stays pending until it is cancelled.
    process.kill(qemu.pid, 'SIGSTOP');
    const outcome = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      const [vm] = await w.api.listVms({});
      const controller = new w.AbortController();
      const call = w.api.executeCommand({ vmId: vm!.config.id, command: 'query-status', timeoutMs: 600_000 }, { signal: controller.signal }).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      );
      controller.abort();
      return call;
    });
    expect(outcome).toMatch(/^AbortError: executeCommand was cancelled/);
    process.kill(qemu.pid, 'SIGCONT');
    // The bridge goes on working; the cancelled command's late reply changes nothing.
    const next = await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      const [vm] = await w.api.listVms({});
      return w.api.executeCommand({ vmId: vm!.config.id, command: 'query-status' });
    });
    expect(next).toMatchObject({ ok: true });
  });

  it('reconnects by itself after the server closes the socket, and the store ends with every event', async () => {
    const qemu = await startQemu();
    qemus.push(qemu);
    const { server, page } = await open(['--connect', qemu.target]);
    await page.evaluate(async () => {
      const w = globalThis as unknown as BridgeWindow;
      w.api = await w.bridge.connectWebBridge(w.bridge.bridgeUrlFromLocation(w.location));
      w.seen = [];
      w.api.onLink((e) => w.seen.push(`${e.kind} ${e.attempt}`));
      w.store = new w.bridge.MonitorStore(w.api);
      await w.store.start();
      await w.until(() => w.store.getState().vms[0]?.connection.phase === 'ready', 'the VM to be ready');
    });
    // A second client makes events all along, so some happen while the page is disconnected.
    const driver = new NodeWebSocket(server.bridgeUrl, { origin: server.origin });
    await new Promise((resolve, reject) => driver.once('open', resolve).once('error', reject));
    let id = 0;
    const call = (method: string, params: object): Promise<{ ok: boolean; result?: unknown }> =>
      new Promise((resolve) => {
        const mine = ++id;
        const onMessage = (data: Buffer, isBinary: boolean): void => {
          const message = readBridgeMessage(data, isBinary) as { t: string; id?: number; ok: boolean; result?: unknown };
          if (message.t !== 'res' || message.id !== mine) return;
          driver.off('message', onMessage);
          resolve(message);
        };
        driver.on('message', onMessage);
        driver.send(JSON.stringify({ t: 'req', id: mine, method, params }));
      });
    const vms = (await call('listVms', {})).result as { config: { id: string } }[];
    const vmId = vms[0]!.config.id;
    let making = true;
    const maker = (async () => {
      while (making) {
        await call('executeCommand', { vmId, command: 'stop' });
        await call('executeCommand', { vmId, command: 'cont' });
      }
    })();
    try {
      // A message over the server's frame limit makes it close this page's socket (code 1009).
      const tooBig = MAX_REQUEST_BYTES * 4 + 1024;
      await page.evaluate(async (size) => {
        const w = globalThis as unknown as BridgeWindow;
        const [vm] = w.store.getState().vms as unknown as { config: { id: string } }[];
        await w.api.executeCommand({ vmId: vm!.config.id, command: 'query-status', argumentsJson: 'x'.repeat(size) }).catch(() => undefined);
        await w.until(() => w.seen.includes('restored 1'), 'the bridge to reconnect');
        await w.until(() => w.store.getState().reconnecting === null, 'the store to catch up');
      }, tooBig);
    } finally {
      making = false;
      await maker;
    }
    const { lastSeq } = (await call('getEvents', { afterSeq: -1, limit: 1 })).result as { lastSeq: number };
    driver.close();
    const state = await page.evaluate(async (last) => {
      const w = globalThis as unknown as BridgeWindow;
      await w.until(() => w.store.getState().events.last()?.seq === last, `event ${last} to arrive`);
      return { seqs: w.store.getState().events.toArray().map((e) => e.seq), coreLost: w.store.getState().coreLost, seen: w.seen };
    }, lastSeq);
    expect(state.seen.slice(0, 2)).toEqual(['lost 1', 'restored 1']);
    expect(state.coreLost).toBeNull();
    expect(lastSeq).toBeGreaterThan(4);
    // Every event, each once, in order: the ones missed while disconnected came in the catch-up.
    expect(state.seqs).toEqual(Array.from({ length: lastSeq + 1 }, (_, seq) => seq));
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
