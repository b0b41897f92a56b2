import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { IPC_PREFIX } from '../../../electron/common/channel-names';
import { REQUEST_NAMES, type RequestHandlers } from '../../../electron/common/contract';
import { APP_ENTRY_URL } from '../../../electron/main/app-origin';
import { handleInvoke, registerIpcHost, REFUSED } from '../../../electron/main/ipc-host';
import { TrustedSenders, type InvokeEventLike } from '../../../electron/main/sender-guard';
import { MockWebContents, electronMock, resetElectronMock } from '../../support/electron-mock';
import { invalidCase, validCase } from './request-payloads';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

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

  it('for hundreds of generated payloads per request: accepts exactly the hand-described valid ones, with the data they describe', async () => {
    const verdicts = { valid: 0, invalid: 0 };
    const mutations = new Set<string>();
    for (const name of REQUEST_NAMES) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(validCase(name), invalidCase(name)), async (sample) => {
          handlers[name]!.mockClear();
          const reply = await handleInvoke(host, name, topFrameEvent(contents), [sample.sent]);
          if (sample.valid) {
            verdicts.valid += 1;
            expect(reply, JSON.stringify(sample.sent)?.slice(0, 200)).toEqual({ ok: true, result: { handledBy: name } });
            expect(handlers[name]).toHaveBeenCalledTimes(1);
            expect(handlers[name]!.mock.calls[0]![0]).toStrictEqual(sample.received);
          } else {
            verdicts.invalid += 1;
            mutations.add(`${name}: ${sample.mutation}`);
            expect(reply.ok, `${name} with ${sample.mutation}: ${JSON.stringify(sample.sent)?.slice(0, 200)}`).toBe(false);
            if (!reply.ok) expect(reply.error).toMatch(new RegExp(`^invalid ${name} request`));
            expect(handlers[name]).not.toHaveBeenCalled();
          }
        }),
        { numRuns: 150, seed: 4242 },
      );
    }
    // Both verdicts, and every kind of mutation of every request, must really be exercised.
    expect(verdicts.valid).toBeGreaterThan(REQUEST_NAMES.length * 40);
    expect(verdicts.invalid).toBeGreaterThan(REQUEST_NAMES.length * 40);
    for (const name of REQUEST_NAMES) {
      expect([...mutations].filter((m) => m.startsWith(`${name}: `)).length, name).toBeGreaterThanOrEqual(2);
    }
  });

  it('the hand-written generators can fail: a handler given the wrong data, or a refusal of a valid payload, is caught', async () => {
    // A valid addVm with padding must reach the handler trimmed and with the default filled in.
    const reply = await handleInvoke(host, 'addVm', topFrameEvent(contents), [{ target: '  /run/q.sock ' }]);
    expect(reply.ok).toBe(true);
    expect(handlers.addVm!.mock.calls[0]![0]).toStrictEqual({ target: '/run/q.sock', autoConnect: true });
    expect(handlers.addVm!.mock.calls[0]![0]).not.toStrictEqual({ target: '  /run/q.sock ', autoConnect: true });
    const sample = fc.sample(invalidCase('getEvents'), { numRuns: 50, seed: 1 });
    expect(sample.every((c) => !c.valid)).toBe(true);
    expect(fc.sample(validCase('getEvents'), { numRuns: 50, seed: 1 }).every((c) => c.valid)).toBe(true);
  });
});
