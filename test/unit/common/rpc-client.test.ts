/**
 * The shared RPC client over an in-memory port pair (VS Code's test style for its
 * IMessagePassingProtocol): one end is the client's port, the other answers like a host would,
 * through the real `dispatchRequest`, and can hold replies back to test cancellation.
 */
import { describe, expect, it } from 'vitest';
import type { PushChannel, RequestChannel } from '../../../electron/common/channel-names';
import type { RequestHandlers } from '../../../electron/common/contract';
import { dispatchRequest } from '../../../electron/common/dispatch';
import { createRpcClient, isCancelled, withCancellation, type RpcPort } from '../../../electron/common/rpc-client';

/** Two ends in memory: the port for the client, and the host side that serves and pushes. */
function portPair(handlers: Partial<RequestHandlers>) {
  const pushListeners = new Map<PushChannel, Set<(payload: unknown) => void>>();
  const sent: Array<{ method: RequestChannel; params: unknown }> = [];
  const port: RpcPort = {
    request: (method, params) => {
      sent.push({ method, params });
      // A structured-clone hop, as over IPC or a socket: nothing is shared by reference.
      return dispatchRequest(handlers as RequestHandlers, method, structuredClone(params));
    },
    onPush: (channel, listener) => {
      const set = pushListeners.get(channel) ?? new Set();
      pushListeners.set(channel, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
  const push = (channel: PushChannel, payload: unknown): void => pushListeners.get(channel)?.forEach((l) => l(structuredClone(payload)));
  return { port, push, sent, pushListeners };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createRpcClient', () => {
  it('resolves results, rejects with the host’s reason, and refuses malformed envelopes', async () => {
    const { port } = portPair({ getDiscoveryFolders: async () => ['/a'] });
    const api = createRpcClient(port);
    await expect(api.getDiscoveryFolders({})).resolves.toEqual(['/a']);
    await expect(api.getEvents({ afterSeq: -5 })).rejects.toThrow(/invalid getEvents request at afterSeq/);
    const broken = createRpcClient({ ...port, request: async () => ({ result: 1 }) });
    await expect(broken.listVms({})).rejects.toThrow('listVms: malformed reply from the main process');
  });

  it('relays pushes only on contract channels and unsubscribes once', () => {
    const { port, push, pushListeners } = portPair({});
    const api = createRpcClient(port);
    const seen: unknown[] = [];
    const off = api.on('vmRemoved', (payload) => seen.push(payload));
    push('vmRemoved', { id: 'a' });
    off();
    off();
    push('vmRemoved', { id: 'b' });
    expect(seen).toEqual([{ id: 'a' }]);
    expect(pushListeners.get('vmRemoved')?.size).toBe(0);
    expect(() => api.on('nope' as PushChannel, () => undefined)).toThrow(/unknown push channel/);
  });

  it('cancels a pending request at once and drops the late reply', async () => {
    const gate = deferred<readonly string[]>();
    const { port } = portPair({ getDiscoveryFolders: async () => [...(await gate.promise)] });
    const api = createRpcClient(port);
    const controller = new AbortController();
    const call = api.getDiscoveryFolders({}, { signal: controller.signal });
    let settled: unknown = 'pending';
    call.then(
      (value) => (settled = value),
      (error: unknown) => (settled = error),
    );
    await Promise.resolve();
    expect(settled).toBe('pending');
    controller.abort();
    await expect(call).rejects.toThrow(/getDiscoveryFolders was cancelled/);
    expect(isCancelled(settled)).toBe(true);
    gate.resolve(['/late']);
    await gate.promise;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(isCancelled(settled)).toBe(true);
  });

  it('does not send a request whose signal is already aborted', async () => {
    const { port, sent } = portPair({ listVms: async () => [] });
    const api = createRpcClient(port);
    await expect(api.listVms({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toEqual([]);
    await expect(api.listVms({}, { signal: new AbortController().signal })).resolves.toEqual([]);
  });

  it('ignores a signal that lost its methods on the way (what contextBridge leaves of one)', async () => {
    const { port } = portPair({ listVms: async () => [] });
    const api = createRpcClient(port);
    const cloned = { aborted: true } as unknown as AbortSignal;
    await expect(api.listVms({}, { signal: cloned })).resolves.toEqual([]);
  });
});

describe('withCancellation', () => {
  it('cancels over an API that cannot take a signal, without passing the options on', async () => {
    const gate = deferred<readonly string[]>();
    const { port, sent } = portPair({ getDiscoveryFolders: async () => [...(await gate.promise)] });
    const inner = createRpcClient(port);
    const api = withCancellation(inner);
    expect(api.on).toBe(inner.on);
    const controller = new AbortController();
    const call = api.getDiscoveryFolders({}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    gate.resolve([]);
    expect(sent).toEqual([{ method: 'getDiscoveryFolders', params: {} }]);
  });
});
