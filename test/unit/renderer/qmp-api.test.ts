// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as WebBridgeClient from '../../../renderer/src/api/web-bridge-client';
import { createFakeApi, makeVm } from './support/fake-api';

const connectWebBridge = vi.fn();
vi.mock('../../../renderer/src/api/web-bridge-client', async (importOriginal) => ({
  ...(await importOriginal<typeof WebBridgeClient>()),
  connectWebBridge: (url: string) => connectWebBridge(url),
}));

const { loadQmpApi } = await import('../../../renderer/src/api/qmp-api');

beforeEach(() => {
  connectWebBridge.mockReset();
});

describe('loadQmpApi', () => {
  it('prefers the Electron preload’s window.qmp', async () => {
    const api = createFakeApi([makeVm('a')]);
    const loaded = await loadQmpApi({ qmp: api, location: { host: '127.0.0.1:1', search: '?token=abc' } });
    await expect(loaded.listVms({})).resolves.toEqual([makeVm('a')]);
    expect(loaded.on).toBe(api.on);
    expect(connectWebBridge).not.toHaveBeenCalled();
  });

  it('adds cancellation on the renderer side: the preload’s API never sees the signal', async () => {
    const api = createFakeApi();
    let answer: (folders: string[]) => void = () => undefined;
    api.mocks.getDiscoveryFolders.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const loaded = await loadQmpApi({ qmp: api, location: { host: '127.0.0.1:1', search: '' } });
    const controller = new AbortController();
    const call = loaded.getDiscoveryFolders({}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError', message: expect.stringMatching(/getDiscoveryFolders was cancelled/) });
    answer(['/late']);
    // Only the params crossed (contextBridge cannot clone an AbortSignal).
    expect(api.mocks.getDiscoveryFolders.mock.calls).toEqual([[{}]]);
  });

  it('connects to the web bridge on the page’s own host with the token from the address', async () => {
    const api = createFakeApi();
    connectWebBridge.mockResolvedValue(api);
    await expect(loadQmpApi({ location: { host: '127.0.0.1:40123', search: '?token=Ab_9-x' } })).resolves.toBe(api);
    expect(connectWebBridge).toHaveBeenCalledWith('ws://127.0.0.1:40123/bridge?token=Ab_9-x');
  });

  it('explains how to start the app when there is neither a preload nor a token', async () => {
    await expect(loadQmpApi({ qmp: {}, location: { host: 'localhost:5173', search: '' } })).rejects.toThrow(
      /no Electron preload \(window\.qmp\) and no \?token=.*npm run web/,
    );
  });

  it('names the bridge when it refuses', async () => {
    connectWebBridge.mockRejectedValue(new Error('the server refused the token'));
    const failure = await loadQmpApi({ location: { host: '127.0.0.1:9', search: '?token=bad' } }).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('Could not connect to the QMP Monitor web bridge at ws://127.0.0.1:9/bridge: the server refused the token');
  });
});
