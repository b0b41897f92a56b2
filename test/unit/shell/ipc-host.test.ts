import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { IPC_PREFIX } from '../../../electron/common/channel-names';
import { REQUEST_NAMES, REQUESTS, type RequestHandlers, type RequestName } from '../../../electron/common/contract';
import { APP_ENTRY_URL } from '../../../electron/main/app-origin';
import { handleInvoke, registerIpcHost, REFUSED } from '../../../electron/main/ipc-host';
import { TrustedSenders, type InvokeEventLike } from '../../../electron/main/sender-guard';
import { MockWebContents, electronMock, resetElectronMock } from '../../support/electron-mock';

/** One valid payload per request; the Record type makes a new request name a compile error here. */
const VALID_EXAMPLES: Record<RequestName, Record<string, unknown>> = {
  getAppInfo: {},
  listVms: {},
  addVm: { label: 'web server', target: '/run/qemu/web.sock', autoConnect: false },
  updateVm: { id: 'vm-1', label: 'renamed', target: 'tcp:127.0.0.1:4444', autoConnect: true },
  removeVm: { id: 'vm-1' },
  connectVm: { id: 'vm-1' },
  disconnectVm: { id: 'vm-1' },
  executeCommand: { vmId: 'vm-1', command: 'query-status', argumentsJson: '{}', timeoutMs: 1000, oob: false },
  getEvents: { afterSeq: -1, limit: 10 },
  getDemo: {},
  startDemo: {},
  stopDemo: {},
  listDiscovered: {},
  getDiscoveryFolders: {},
  setDiscoveryFolders: { folders: ['/run/qemu'] },
};

type HandlerMocks = Record<string, Mock<(params: unknown) => Promise<unknown>>>;

function fakeHandlers(): HandlerMocks {
  const handlers: HandlerMocks = {};
  for (const name of REQUEST_NAMES) handlers[name] = vi.fn(async () => ({ handledBy: name }));
  return handlers;
}

function topFrameEvent(contents: MockWebContents): InvokeEventLike {
  return { sender: contents, senderFrame: contents.mainFrame };
}

describe('ipc host', () => {
  let handlers: HandlerMocks;
  let trusted: TrustedSenders;
  let contents: MockWebContents;
  let logs: string[];
  let host: Parameters<typeof handleInvoke>[0];

  beforeEach(() => {
    resetElectronMock();
    handlers = fakeHandlers();
    trusted = new TrustedSenders();
    contents = new MockWebContents();
    trusted.add(contents);
    logs = [];
    host = { handlers: handlers as unknown as RequestHandlers, trusted, entryUrl: APP_ENTRY_URL, log: (message) => logs.push(message) };
  });

  it('registers exactly one handler per contract request and removes them all', async () => {
    const dispose = registerIpcHost({ ...host, ipcMain: electronMock.ipcMain });
    expect([...electronMock.ipcMain.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map((n) => IPC_PREFIX + n).sort());
    const listener = electronMock.ipcMain.handlers.get('qmp:listVms') as (e: InvokeEventLike, p: unknown) => Promise<unknown>;
    expect(await listener(topFrameEvent(contents), {})).toEqual({ ok: true, result: { handledBy: 'listVms' } });
    dispose();
    expect(electronMock.ipcMain.handlers.size).toBe(0);
  });

  it('routes a valid request from the trusted top frame with validated params', async () => {
    const reply = await handleInvoke(host, 'addVm', topFrameEvent(contents), [{ target: '/run/vm.sock' }]);
    expect(reply).toEqual({ ok: true, result: { handledBy: 'addVm' } });
    expect(handlers.addVm).toHaveBeenCalledWith({ target: '/run/vm.sock', autoConnect: true });
  });

  it('refuses unknown webContents, destroyed ones, subframes, lost frames and foreign origins', async () => {
    const stranger = new MockWebContents();
    const dead = new MockWebContents();
    trusted.add(dead);
    dead.destroy();
    const navigated = new MockWebContents('https://evil.example/');
    trusted.add(navigated);
    const subframe = { url: APP_ENTRY_URL, parent: contents.mainFrame, processId: 1, routingId: 999 };
    const sibling = { url: APP_ENTRY_URL, parent: null, processId: 7, routingId: 7 };
    const fileFrame = new MockWebContents('file:///app/index.html');
    trusted.add(fileFrame);
    const events: InvokeEventLike[] = [
      topFrameEvent(stranger),
      topFrameEvent(dead),
      topFrameEvent(navigated),
      topFrameEvent(fileFrame),
      { sender: contents, senderFrame: subframe },
      { sender: contents, senderFrame: sibling },
      { sender: contents, senderFrame: null },
    ];
    for (const event of events) {
      expect(await handleInvoke(host, 'listVms', event, [{}])).toEqual(REFUSED);
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    expect(logs).toHaveLength(events.length);
    expect(logs.join('\n')).toMatch(/unknown webContents/);
    expect(logs.join('\n')).toMatch(/subframe/);
    expect(logs.join('\n')).toMatch(/foreign origin/);
  });

  it('forgets a webContents once it is destroyed, even if its id comes back', async () => {
    const old = new MockWebContents();
    trusted.add(old);
    old.destroy();
    const impostor = Object.assign(new MockWebContents(), { id: old.id });
    expect(await handleInvoke(host, 'listVms', topFrameEvent(impostor), [{}])).toEqual(REFUSED);
  });

  it('answers hand-written nasty payloads with a clear error and never calls a handler', async () => {
    const nasty: Array<[string, unknown[]]> = [
      ['listVms', [JSON.parse('{"__proto__": {"polluted": true}}')]],
      ['addVm', [JSON.parse('{"target": "/x.sock", "__proto__": {"autoConnect": false}}')]],
      ['addVm', [{ target: '/x.sock', constructor: { prototype: { polluted: true } } }]],
      ['addVm', [{ target: '/x.sock', toString: 'boom' }]],
      ['addVm', [{ target: 'x'.repeat(5000) }]],
      ['addVm', [{ target: 42 }]],
      ['addVm', [{ target: '' }]],
      ['addVm', [{ target: '/x', extra: 1 }]],
      ['addVm', ['/x.sock']],
      ['addVm', [[{ target: '/x.sock' }]]],
      ['addVm', [null]],
      ['executeCommand', [{ vmId: 'a', command: 'query-status; rm -rf /' }]],
      ['executeCommand', [{ vmId: 'a', command: 'stop', argumentsJson: 'x'.repeat(1024 * 1024 + 1) }]],
      ['executeCommand', [{ vmId: 'a', command: 'stop', timeoutMs: Number.NaN }]],
      ['executeCommand', [{ vmId: 'a', command: 'stop', timeoutMs: 1e12 }]],
      ['getEvents', [{ afterSeq: 1.5 }]],
      ['getEvents', [{ afterSeq: -2 }]],
      ['removeVm', [{ id: 'v'.repeat(65) }]],
      ['setDiscoveryFolders', [{ folders: ['relative/path'] }]],
      ['setDiscoveryFolders', [{ folders: Array.from({ length: 33 }, (_, i) => `/f${i}`) }]],
      ['listVms', [{}, { second: 'argument' }]],
      ['__proto__', [{}]],
      ['constructor', [{}]],
      ['toString', [{}]],
      ['hasOwnProperty', [{}]],
      ['noSuchRequest', [{}]],
    ];
    expect(Object.getPrototypeOf({})).not.toHaveProperty('polluted');
    for (const [name, args] of nasty) {
      const reply = await handleInvoke(host, name, topFrameEvent(contents), args);
      expect(reply.ok, `${name} ${JSON.stringify(args).slice(0, 100)}`).toBe(false);
      if (!reply.ok) expect(reply.error).toMatch(/^(invalid|unknown request)/);
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('for hundreds of generated payloads per request: runs the handler only with schema-valid data', async () => {
    const validish = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
        vmId: fc.oneof(fc.string({ maxLength: 70 }), fc.constant('vm-1')),
        target: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('/run/q.sock'), fc.constant(7)),
        label: fc.oneof(fc.string({ maxLength: 210 }), fc.boolean()),
        command: fc.oneof(fc.constantFrom('query-status', 'stop', 'bad name!'), fc.string({ maxLength: 10 })),
        autoConnect: fc.oneof(fc.boolean(), fc.constant('yes')),
        afterSeq: fc.oneof(fc.integer({ min: -3, max: 10 }), fc.double()),
        limit: fc.oneof(fc.integer({ min: -1, max: 200_000 }), fc.constant(null)),
        folders: fc.array(fc.oneof(fc.constant('/tmp/q'), fc.string({ maxLength: 8 })), { maxLength: 3 }),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    // Mutations of one valid example per request (keys dropped, overwritten or added), so
    // both valid and almost-valid payloads of every request are generated.
    const plausible = fc.oneof(
      fc.constantFrom('vm-1', '/run/q.sock', 'tcp:127.0.0.1:4444', 'query-status', '{"a":1}', '', 'x'.repeat(70)),
      fc.integer({ min: -2, max: 5000 }),
      fc.boolean(),
      fc.array(fc.constantFrom('/tmp/a', 'rel', '/'), { maxLength: 3 }),
      fc.anything(),
    );
    const mutated = (name: RequestName) => {
      const example = VALID_EXAMPLES[name];
      const keys = Object.keys(example);
      return fc
        .record({
          drop: fc.subarray(keys),
          overrides: fc.dictionary(fc.constantFrom(...keys, 'extra'), plausible, { maxKeys: 2 }),
        })
        .map(({ drop, overrides }) => {
          const payload: Record<string, unknown> = { ...example };
          for (const key of drop) delete payload[key];
          return { ...payload, ...overrides };
        });
    };
    let accepted = 0;
    const acceptedBy = new Set<string>();
    let rejected = 0;
    for (const name of REQUEST_NAMES) {
      const payload = fc.oneof(
        fc.anything({ withObjectString: true, withNullPrototype: true }),
        fc.jsonValue(),
        validish,
        fc.constant(VALID_EXAMPLES[name]),
        mutated(name),
        mutated(name),
      );
      await fc.assert(
        fc.asyncProperty(payload, async (params) => {
          handlers[name]!.mockClear();
          const expected = REQUESTS[name].params.safeParse(params ?? {});
          const reply = await handleInvoke(host, name, topFrameEvent(contents), [params]);
          if (expected.success) {
            accepted += 1;
            acceptedBy.add(name);
            expect(reply).toEqual({ ok: true, result: { handledBy: name } });
            expect(handlers[name]).toHaveBeenCalledTimes(1);
            expect(handlers[name]).toHaveBeenCalledWith(expected.data);
          } else {
            rejected += 1;
            expect(reply.ok).toBe(false);
            if (!reply.ok) expect(reply.error).toMatch(new RegExp(`^invalid ${name} request`));
            expect(handlers[name]).not.toHaveBeenCalled();
          }
        }),
        { numRuns: 200, seed: 4242 },
      );
    }
    expect(accepted + rejected).toBe(REQUEST_NAMES.length * 200);
    // Both branches must really be exercised, or the property proves nothing.
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(1000);
    expect(REQUEST_NAMES.filter((n) => !acceptedBy.has(n))).toEqual([]);
  });
});
