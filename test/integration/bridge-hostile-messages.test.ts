/**
 * Every message shape the renderer side can send, over both transports, is refused cleanly.
 *
 * The WebSocket bridge is the real built `npm run web` process (a socket that passed the token,
 * Origin and Host checks, i.e. an authenticated client); the Electron transport is the real
 * IPC host (electron/main/ipc-host.ts) registered on the Electron mock's `ipcMain`, serving a
 * real MonitorService, with arguments passed through `structuredClone` as Electron's IPC does.
 * After each generated message the transport must still answer a valid request.
 *
 * Requests that change state (startDemo, addVm, …) are generated only with payloads that are
 * invalid by construction (a primitive or an array where an object is required), so a run
 * never starts a QEMU or writes connections; read-only requests get payloads of every shape.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES, type RequestName } from '../../electron/common/contract';
import { createMonitorService } from '../../electron/core/service/monitor-service';
import type { MonitorServiceHandle } from '../../electron/core/service/service-types';
import { APP_ENTRY_URL } from '../../electron/main/app-origin';
import { registerIpcHost } from '../../electron/main/ipc-host';
import { TrustedSenders, type InvokeEventLike } from '../../electron/main/sender-guard';
import { MockWebContents, electronMock, resetElectronMock } from '../support/electron-mock';
import { makeTempDir, waitFor } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';
import { readBridgeMessage } from '../../electron/common/compact-events';

// ipc-host.ts imports Electron's ipcMain (unused here: the host is driven through the mock's).
vi.mock('electron', async () => (await import('../support/electron-mock')).electronMock);

const READ_ONLY: readonly RequestName[] = ['getAppInfo', 'listVms', 'getEvents', 'getDemo', 'listDiscovered', 'getDiscoveryFolders'];
const MUTATING = REQUEST_NAMES.filter((name) => !READ_ONLY.includes(name));
/** Keys that break naive code: String()/template conversion, prototype pollution, thenables. */
const HOSTILE_KEYS = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'then', 'toJSON', 'prototype', 'length'];
/** Names that are not requests but are properties of every object. */
const NOT_REQUESTS = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', 'dropDatabase', ''];

/**
 * JSON text of any JSON value; objects often carry hostile keys as their own properties.
 *
 * Built as text, not with JSON.stringify of an object, because assigning `__proto__` to an
 * object literal sets its prototype instead of creating the key a hostile client can send.
 */
const { value: jsonText } = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)), tie('object'), tie('array')),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
}));
/** JSON text that no request schema accepts (every one wants an object), not even after `?? {}`. */
const nonObjectText = fc.oneof(
  fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.boolean()).map((v) => JSON.stringify(v)),
  fc.array(jsonText, { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
);

/** `method` and `params` as JSON text; `params` undefined means the key is absent. */
const methodAndParams = fc.oneof(
  fc.record({ method: fc.constantFrom(...READ_ONLY).map((n) => JSON.stringify(n)), params: fc.option(jsonText, { nil: undefined }) }),
  fc.record({ method: fc.constantFrom(...MUTATING).map((n) => JSON.stringify(n)), params: nonObjectText }),
  fc.record({
    method: fc.oneof(fc.constantFrom(...NOT_REQUESTS).map((n) => JSON.stringify(n)), jsonText),
    params: fc.option(jsonText, { nil: undefined }),
  }),
);
const idText = fc.oneof(fc.integer().map(String), fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)), jsonText);

/** One WebSocket frame as the renderer side could send it. */
const frame: fc.Arbitrary<{ readonly data: string | Buffer; readonly binary: boolean }> = fc.oneof(
  { weight: 6, arbitrary: fc
    .record({
      t: fc.option(fc.oneof(fc.constant('"req"'), jsonText), { nil: undefined }),
      id: fc.option(idText, { nil: undefined }),
      call: methodAndParams,
      extras: fc.array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), jsonText), { maxLength: 3 }),
    })
    .map(({ t, id, call, extras }) => {
      const fields: Array<[string, string]> = [...extras, ['method', call.method]];
      if (t !== undefined) fields.push(['t', t]);
      if (id !== undefined) fields.push(['id', id]);
      if (call.params !== undefined) fields.push(['params', call.params]);
      return { data: `{${fields.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`, binary: false };
    }) },
  { weight: 1, arbitrary: jsonText.map((data) => ({ data, binary: false })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((data) => ({ data, binary: false })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })) },
);

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the WebSocket bridge (built npm run web process)', () => {
  let server: TestWebServer;
  beforeAll(async () => {
    const bundle = await buildWebBundle();
    const rendererDir = makeTempDir('qmp-bridge-hostile-renderer-');
    const dataDir = makeTempDir('qmp-bridge-hostile-data-');
    tempDirs.push(dirname(bundle), rendererDir, dataDir);
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>QMP Monitor</title>');
    server = await startWebServer([], { bundle, dataDir, env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  async function openClient() {
    const ws = new WebSocket(server.bridgeUrl, { origin: server.origin });
    const replies: Array<Record<string, unknown>> = [];
    ws.on('message', (data, isBinary) => {
      const message = readBridgeMessage(data as Buffer, isBinary);
      if (message['t'] === 'res') replies.push(message);
    });
    await new Promise<void>((resolveOpen, reject) => {
      ws.once('open', () => resolveOpen());
      ws.once('error', reject);
    });
    let probes = 0;
    /** Sends a valid request and waits for its answer: the bridge still works. */
    const probe = async (): Promise<void> => {
      const id = `probe-${++probes}`;
      ws.send(JSON.stringify({ t: 'req', id, method: 'getAppInfo', params: {} }));
      await waitFor(() => replies.some((r) => r['id'] === id), `the answer to ${id}`);
      expect(replies.find((r) => r['id'] === id)).toMatchObject({ ok: true, result: { host: 'web' } });
    };
    return { ws, replies, probe };
  }

  it('survives the method whose String() throws, and answers it', async () => {
    const client = await openClient();
    client.ws.send('{"t":"req","id":1,"method":{"toString":1}}');
    client.ws.send('{"t":"req","id":2,"method":{"toString":{},"valueOf":{}},"params":{"__proto__":{"x":1}}}');
    client.ws.send('{"t":"req","id":3,"method":["toString"]}');
    await client.probe();
    for (const id of [1, 2, 3]) {
      expect(client.replies.find((r) => r['id'] === id), `reply ${id}`).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown request of type/) });
    }
    expect(server.process.exitCode).toBeNull();
    client.ws.close();
  });

  it('answers every generated frame exactly once and keeps answering valid requests', async () => {
    const client = await openClient();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(frame, async ({ data, binary }) => {
        client.ws.send(data, { binary });
        sent += 1;
        await client.probe();
        sent += 1;
        expect(server.process.exitCode, server.stderr()).toBeNull();
      }),
      { numRuns: 250, seed: 777 },
    );
    // One reply per frame: none is dropped, none is answered twice.
    await waitFor(() => client.replies.length >= sent, 'a reply to every frame');
    expect(client.replies).toHaveLength(sent);
    // Each refusal came from the request rules, not from the transport's last-resort catch.
    expect(client.replies.filter((r) => String(r['error']).startsWith('could not send'))).toEqual([]);
    expect(server.stderr()).toBe('');
    client.ws.close();
  });
});

describe('the Electron IPC host (electron mock, real MonitorService)', () => {
  let service: MonitorServiceHandle;
  let contents: MockWebContents;
  const logs: string[] = [];
  beforeAll(async () => {
    resetElectronMock();
    const dataDir = makeTempDir('qmp-ipc-hostile-data-');
    tempDirs.push(dataDir);
    service = await createMonitorService({ dataDir, host: 'electron', version: '0.0.0-test' });
    const trusted = new TrustedSenders();
    contents = new MockWebContents();
    trusted.add(contents);
    registerIpcHost({ ipcMain: electronMock.ipcMain, handlers: service.handlers, trusted, entryUrl: APP_ENTRY_URL, log: (m) => logs.push(m) });
  });
  afterAll(async () => {
    await service?.dispose();
    resetElectronMock();
  });

  /** Invokes a channel as the preload would: arguments are structured-cloned on the way. */
  function invoke(name: string, args: readonly unknown[]): Promise<unknown> {
    const listener = electronMock.ipcMain.handlers.get(`qmp:${name}`) as (event: InvokeEventLike, ...rest: unknown[]) => Promise<unknown>;
    const event: InvokeEventLike = { sender: contents, senderFrame: contents.mainFrame };
    return listener(event, ...structuredClone(args));
  }

  const cloneable = fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    maxDepth: 3,
  });
  const call = fc.oneof(
    fc.record({
      name: fc.constantFrom(...READ_ONLY),
      args: fc.array(fc.oneof(cloneable, jsonText.map((text) => JSON.parse(text) as unknown)), { maxLength: 3 }),
    }),
    fc.record({
      name: fc.constantFrom(...MUTATING),
      args: fc.oneof(
        nonObjectText.map((text) => [JSON.parse(text) as unknown]),
        fc.bigInt().map((n) => [n]),
        // A second argument is refused whatever the first one is.
        fc.tuple(fc.constant({}), cloneable).map((pair) => [...pair]),
      ),
    }),
  );

  it('answers every generated call with an envelope, refuses every mutating one, and keeps serving', async () => {
    let refusedMutations = 0;
    await fc.assert(
      fc.asyncProperty(call, async ({ name, args }) => {
        const reply = (await invoke(name, args)) as { ok: boolean; error?: string };
        expect(typeof reply.ok).toBe('boolean');
        if (MUTATING.includes(name)) {
          expect(reply.ok, `${name} ${String(args.length)} args`).toBe(false);
          expect(reply.error).toMatch(new RegExp(`^invalid ${name} request`));
          refusedMutations += 1;
        }
        expect(await invoke('listVms', [{}])).toEqual({ ok: true, result: [] });
      }),
      { numRuns: 300, seed: 99 },
    );
    expect(refusedMutations).toBeGreaterThan(50);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(logs).toEqual([]);
  });
});
