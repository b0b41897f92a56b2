/**
 * `npm run web` end to end at the protocol level: the built out/node/web.cjs as a child
 * process, real QEMU behind it, and a Node WebSocket client playing the browser.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webContentSecurityPolicy } from '../../electron/common/csp';
import { killAllQemu, makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';
import { API_VERSION } from '../../electron/common/channel-names';
import { readBridgeMessage } from '../../electron/common/compact-events';

const servers: TestWebServer[] = [];
const qemus: TestQemu[] = [];
/** Demo QEMUs started through a server: killed by PID even if the server could not stop them. */
const demoPids: number[] = [];
let rendererDir = '';
let bundle = '';

beforeAll(async () => {
  bundle = await buildWebBundle();
  // A stand-in renderer so these tests do not depend on the UI build.
  rendererDir = makeTempDir('qmp-web-renderer-');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>QMP Monitor</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
  for (const pid of demoPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already stopped by the server, as it should be */
    }
  }
});
afterAll(async () => {
  await killAllQemu();
  for (const dir of [rendererDir, bundle && dirname(bundle), ...tempDirs.splice(0)]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Data folders the servers of this file used (removed after all tests). */
const tempDirs: string[] = [];
function dataDir(): string {
  const dir = makeTempDir('qmp-web-');
  tempDirs.push(dir);
  return dir;
}

async function serve(args: string[] = []): Promise<TestWebServer> {
  const server = await startWebServer(args, { bundle, dataDir: dataDir(), env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
  servers.push(server);
  return server;
}

function get(server: TestWebServer, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and resolves with its status: 'open' or the HTTP status of the refusal. */
function tryConnect(url: string, options: WebSocket.ClientOptions): Promise<{ ws?: WebSocket; status: number | 'open'; first?: Promise<unknown> }> {
  return new Promise((resolveTry) => {
    const ws = new WebSocket(url, options);
    const first = new Promise((r) => ws.once('message', (m) => r(JSON.parse((m as Buffer).toString('utf8')))));
    ws.once('open', () => resolveTry({ ws, status: 'open', first }));
    ws.once('unexpected-response', (_req, res) => {
      resolveTry({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolveTry({ status: 0 }));
  });
}

/** A small client: sends raw frames, collects every message. */
async function client(server: TestWebServer) {
  const result = await tryConnect(server.bridgeUrl, { origin: server.origin });
  expect(result.status).toBe('open');
  const ws = result.ws!;
  const messages: Record<string, unknown>[] = [await result.first!] as Record<string, unknown>[];
  ws.on('message', (m, isBinary) => messages.push(readBridgeMessage(m as Buffer, isBinary)));
  let nextId = 1;
  const reply = (id: unknown) => waitFor(() => messages.some((m) => m.t === 'res' && m.id === id), `reply ${String(id)}`).then(() => messages.find((m) => m.t === 'res' && m.id === id)!);
  return {
    ws,
    messages,
    reply,
    call: async (method: string, params: unknown = {}) => {
      const id = nextId++;
      ws.send(JSON.stringify({ t: 'req', id, method, params }));
      return reply(id);
    },
  };
}

describe('web bridge server', () => {
  it('prints one URL line and serves the page only with the token, with strict headers', async () => {
    const server = await serve();
    expect(server.stdout()).toBe(`QMP Monitor: ${server.url}\n`);
    const page = await get(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // The page carries its own load's style nonce (test/integration/csp-hosts.test.ts checks it in full).
    const nonce = /'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(page.headers['content-security-policy']).toBe(webContentSecurityPolicy(server.port, nonce));
    expect(page.body).toContain('<title>QMP Monitor</title>');
    expect((await get(server, '/')).status).toBe(403);
    expect((await get(server, '/?token=wrong')).status).toBe(403);
    expect((await get(server, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(server, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(server, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses directory traversal and foreign Host headers', async () => {
    const server = await serve();
    for (const path of ['/../../../../etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%00x', '/..%5c..%5cetc%5cpasswd', '/%E0%A4%A']) {
      const res = await get(server, path);
      // A path that does not percent-decode is a bad request; the others name no file.
      expect(res.status, path).toBe(path === '/%E0%A4%A' ? 400 : 404);
      expect(res.body).not.toContain('root:');
    }
    expect((await get(server, `/?token=${server.token}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server, `/?token=${server.token}`, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a WebSocket with a wrong token, Origin or Host', async () => {
    const server = await serve();
    expect((await tryConnect(server.bridgeUrl.replace(server.token, 'x'.repeat(server.token.length)), { origin: server.origin })).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl.replace(/\?token=.*/, ''), { origin: server.origin })).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl, {})).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl, { origin: server.origin, headers: { Host: `rebind.example:${server.port}` } })).status).toBe(403);
    expect((await tryConnect(server.bridgeUrl.replace('/bridge', '/other'), { origin: server.origin })).status).toBe(404);
    const ok = await tryConnect(server.bridgeUrl, { origin: `http://localhost:${server.port}`, headers: { Host: `localhost:${server.port}` } });
    expect(ok.status).toBe('open');
    expect(await ok.first).toEqual({ t: 'hello', apiVersion: API_VERSION });
    ok.ws!.close();
  });

  it('serves the API over the core: hello, listVms with a --connect VM, commands and event pushes', async () => {
    const qemu = await startQemu({ machine: 'pc' });
    qemus.push(qemu);
    const server = await serve(['--connect', qemu.target]);
    const c = await client(server);
    expect(c.messages[0]).toEqual({ t: 'hello', apiVersion: API_VERSION });
    await waitFor(async () => {
      const res = (await c.call('listVms')) as { result: { connection: { phase: string } }[] };
      return res.result[0]?.connection.phase === 'ready';
    }, 'VM ready over the bridge');
    const list = (await c.call('listVms')) as { ok: boolean; result: { config: { id: string; target: string }; origin: string }[] };
    expect(list.ok).toBe(true);
    expect(list.result[0]).toMatchObject({ origin: 'cli', config: { target: qemu.target } });
    const vmId = list.result[0]!.config.id;
    expect(await c.call('executeCommand', { vmId, command: 'cont' })).toMatchObject({ ok: true, result: { ok: true, returnJson: '{}' } });
    await waitFor(() => c.messages.some((m) => m.t === 'push' && m.channel === 'events' && JSON.stringify(m.payload).includes('"RESUME"')), 'events push');
    await waitFor(() => c.messages.some((m) => m.t === 'push' && m.channel === 'vmChanged' && JSON.stringify(m.payload).includes('"event:RESUME"')), 'vmChanged push');
    expect(await c.call('getAppInfo')).toMatchObject({ ok: true, result: { host: 'web', apiVersion: API_VERSION, dataDir: server.dataDir } });
    c.ws.close();
  });

  it('answers malformed messages with errors and keeps serving', async () => {
    const server = await serve();
    const c = await client(server);
    const errorsBefore = () => c.messages.filter((m) => m.t === 'res' && m.id === null).length;
    c.ws.send('not json');
    await waitFor(() => errorsBefore() === 1, 'parse error');
    expect(c.messages.at(-1)).toMatchObject({ t: 'res', id: null, ok: false, error: expect.stringMatching(/not valid JSON/) });
    c.ws.send('[1,2]');
    c.ws.send(JSON.stringify({ t: 'req', method: 'listVms' }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify({ t: 'req', id: 1, method: 'listVms', params: { pad: 'x'.repeat(3 * 1024 * 1024) } }));
    await waitFor(() => errorsBefore() === 5, 'four more id-less errors');
    const idless = c.messages.filter((m) => m.t === 'res' && m.id === null).map((m) => m.error as string);
    expect(idless[1]).toMatch(/must be a JSON object/);
    expect(idless[2]).toMatch(/needs an "id"/);
    expect(idless[3]).toMatch(/binary/);
    expect(idless[4]).toMatch(/too large/);
    c.ws.send(JSON.stringify({ t: 'bogus', id: 'x' }));
    expect(await c.reply('x')).toMatchObject({ ok: false, error: expect.stringMatching(/unknown message type/) });
    c.ws.send(JSON.stringify({ t: 'req', id: 'y', method: 'dropDatabase', params: {} }));
    expect(await c.reply('y')).toMatchObject({ ok: false, error: 'unknown request "dropDatabase"' });
    c.ws.send(JSON.stringify({ t: 'req', id: 'z', method: 'addVm', params: { target: 42 } }));
    expect(await c.reply('z')).toMatchObject({ ok: false, error: expect.stringMatching(/invalid addVm request at target/) });
    c.ws.send(JSON.stringify({ t: 'req', id: 'w', method: 'addVm', params: { target: 'no-port' } }));
    expect(await c.reply('w')).toMatchObject({ ok: false, error: expect.stringMatching(/no-port/) });
    expect(await c.call('listVms')).toEqual({ t: 'res', id: 1, ok: true, result: [] });

    // Past the hard cap the offender is cut off (1009) and everyone else carries on.
    const hog = await client(server);
    const closed = new Promise<number>((r) => hog.ws.once('close', (code) => r(code)));
    hog.ws.send('x'.repeat(9 * 1024 * 1024));
    expect(await closed).toBe(1009);
    expect(await c.call('getDemo')).toMatchObject({ ok: true, result: { status: expect.any(String) } });
    c.ws.close();
  });

  it('exits 0 on SIGTERM and stops the demo VM it started; refuses bad options', async () => {
    const server = await serve(['--demo']);
    const c = await client(server);
    await waitFor(async () => ((await c.call('getDemo')) as { result: { status: string } }).result.status === 'running', 'demo running', 20_000);
    const { result } = (await c.call('getDemo')) as { result: { pid: number } };
    demoPids.push(result.pid);
    const alive = () => {
      try {
        process.kill(result.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    const exit = await server.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(alive()).toBe(false);

    // Serving beyond loopback is refused at the command line (whatever the wording of the refusal).
    await expect(startWebServer(['--host', '0.0.0.0'], { bundle, dataDir: dataDir() })).rejects.toThrow(/exited \(2\)/);
    await expect(startWebServer(['--bogus'], { bundle, dataDir: dataDir() })).rejects.toThrow(/unknown option '--bogus'/);
  });
});
