import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PUSH_NAMES, REQUEST_NAMES } from '../../../electron/common/contract';
import { buildQmpBridge, unwrapEnvelope } from '../../../electron/preload/bridge';
import { electronMock, resetElectronMock } from '../../support/electron-mock';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

type Api = Record<string, (...args: unknown[]) => unknown>;

describe('preload bridge', () => {
  beforeEach(() => {
    resetElectronMock();
  });

  it('exposes window.qmp with exactly the request names plus on, and nothing of Electron', async () => {
    // Imported once per file: the mock module instance must stay the one the factory returned.
    await import('../../../electron/preload/index');
    expect([...electronMock.contextBridge.exposed.keys()]).toEqual(['qmp']);
    const api = electronMock.contextBridge.exposed.get('qmp') as Api;
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.values(api)).not.toContain(electronMock.ipcRenderer);
  });

  it('invokes qmp:<name> with the params and unwraps the envelope', async () => {
    const api = buildQmpBridge(electronMock.ipcRenderer) as unknown as Api;
    electronMock.ipcRenderer.reply = async (channel) =>
      channel === 'qmp:listVms' ? { ok: true, result: [{ id: 'a' }] } : { ok: false, error: 'invalid addVm request at target: required' };
    await expect(api['listVms']!({})).resolves.toEqual([{ id: 'a' }]);
    await expect(api['addVm']!({})).rejects.toThrow('invalid addVm request at target: required');
    expect(electronMock.ipcRenderer.invocations).toEqual([
      { channel: 'qmp:listVms', args: [{}] },
      { channel: 'qmp:addVm', args: [{}] },
    ]);
  });

  it('treats a reply without an envelope as an error, not a result', () => {
    for (const reply of [undefined, null, 42, 'ok', {}, { ok: 'true', result: 1 }]) {
      expect(() => unwrapEnvelope('qmp:listVms', reply)).toThrow(/malformed reply/);
    }
    expect(() => unwrapEnvelope('qmp:x', { ok: false })).toThrow('qmp:x failed');
  });

  it('subscribes only to push channels, strips the IPC event and unsubscribes once', () => {
    const api = buildQmpBridge(electronMock.ipcRenderer) as unknown as Api;
    const seen: unknown[][] = [];
    const off = api['on']!('vmChanged', (...args: unknown[]) => seen.push(args)) as () => void;
    const fakeEvent = { sender: electronMock.ipcRenderer, ports: [] };
    electronMock.ipcRenderer.emit('qmp:push:vmChanged', fakeEvent, { id: 'vm-1' });
    expect(seen).toEqual([[{ id: 'vm-1' }]]);
    off();
    off();
    electronMock.ipcRenderer.emit('qmp:push:vmChanged', fakeEvent, { id: 'vm-2' });
    expect(seen).toHaveLength(1);
    expect(electronMock.ipcRenderer.listenerCount('qmp:push:vmChanged')).toBe(0);
    for (const name of PUSH_NAMES) (api['on']!(name, () => undefined) as () => void)();
  });

  it('refuses unknown push channels and non-function listeners', () => {
    const api = buildQmpBridge(electronMock.ipcRenderer) as unknown as Api;
    for (const channel of ['listVms', 'push:vmChanged', 'qmp:push:vmChanged', '__proto__', 'constructor', '', 7, null]) {
      expect(() => api['on']!(channel, () => undefined), String(channel)).toThrow(/unknown push channel/);
    }
    expect(() => api['on']!('events', 'not a function')).toThrow(/listener must be a function/);
    expect(electronMock.ipcRenderer.eventNames()).toEqual([]);
  });

  it('builds as one CommonJS file that requires nothing but electron (when built)', () => {
    const bundle = join(__dirname, '../../../out/preload/index.cjs');
    // `npm test` builds first; run `npx electron-vite build` before running this file alone.
    expect(existsSync(bundle), 'out/preload/index.cjs missing: run npx electron-vite build').toBe(true);
    const code = readFileSync(bundle, 'utf8');
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/safeParse|ZodError|ZodObject/);
    expect(code.length).toBeLessThan(16 * 1024);
  });

  it('the built bundle runs with only electron available, as in a sandboxed renderer', async () => {
    const code = readFileSync(join(__dirname, '../../../out/preload/index.cjs'), 'utf8');
    const sandboxRequire = (id: string): unknown => {
      if (id === 'electron') return electronMock;
      throw new Error(`module not found: ${id}`);
    };
    const module = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the built bundle as a sandboxed preload would
    new Function('require', 'module', 'exports', code)(sandboxRequire, module, module.exports);
    const api = electronMock.contextBridge.exposed.get('qmp') as Api;
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, 'on'].sort());
    electronMock.ipcRenderer.reply = async () => ({ ok: true, result: { version: '0.1.0' } });
    await expect(api['getAppInfo']!({})).resolves.toEqual({ version: '0.1.0' });
    expect(() => api['on']!('nope', () => undefined)).toThrow(/unknown push channel/);
  });
});
