/**
 * The one client of the contract, over any transport that can carry a request and a push.
 *
 * Electron IPC (the preload) and the loopback WebSocket (`npm run web`) used to build the API
 * and unwrap the reply envelope each in their own way; both now hand this module a two-method
 * {@link RpcPort} (VS Code's IMessagePassingProtocol idea) and get the same `QmpMonitorApi`.
 * It imports no zod and no node:* so the sandboxed preload stays one small file.
 */
import { PUSH_CHANNELS, REQUEST_CHANNELS, type PushChannel, type RequestChannel } from './channel-names';
import type { CallOptions, QmpMonitorApi } from './contract';

/**
 * What a transport must offer: send one request, listen to one push channel.
 *
 * `request` resolves with the server's `{ok, result|error}` envelope (checked here, so a
 * transport cannot smuggle a malformed reply through as a result) and rejects only when the
 * transport itself fails.
 */
export interface RpcPort {
  request(method: RequestChannel, params: unknown): Promise<unknown>;
  onPush(channel: PushChannel, listener: (payload: unknown) => void): () => void;
}

const PUSH_SET: ReadonlySet<string> = new Set(PUSH_CHANNELS);

/** Turns the `{ok, result|error}` envelope into a value or a thrown Error. */
export function unwrapEnvelope(method: string, reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const envelope = reply as { ok: unknown; result?: unknown; error?: unknown };
    if (envelope.ok === true) return envelope.result;
    if (envelope.ok === false) throw new Error(typeof envelope.error === 'string' ? envelope.error : `${method} failed`);
  }
  throw new Error(`${method}: malformed reply from the main process`);
}

/** The Error a cancelled request rejects with; `name` is 'AbortError' like fetch's. */
export function cancelledError(method: string): Error {
  const error = new Error(`${method} was cancelled; QEMU may still run the command, but its reply is ignored`);
  error.name = 'AbortError';
  return error;
}

/** True when `error` came from a cancelled request (see {@link cancelledError}). */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Runs `start` unless `signal` is aborted; rejects at once when it aborts later.
 *
 * A reply arriving after the abort is dropped: the promise is settled already. Only a real
 * AbortSignal counts: whatever contextBridge makes of one (a plain copy) is ignored, which is
 * why the renderer wraps the preload's API with {@link withCancellation} instead.
 */
function cancellable(method: string, signal: unknown, start: () => Promise<unknown>): Promise<unknown> {
  if (!isAbortSignal(signal)) return start();
  if (signal.aborted) return Promise.reject(cancelledError(method));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError(method));
    signal.addEventListener('abort', onAbort, { once: true });
    start()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | undefined;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.aborted === 'boolean' && typeof candidate.addEventListener === 'function';
}

function checkedOn(subscribe: RpcPort['onPush']): QmpMonitorApi['on'] {
  return (channel: unknown, listener: unknown): (() => void) => {
    if (typeof channel !== 'string' || !PUSH_SET.has(channel)) {
      throw new Error(`unknown push channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
    }
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const unsubscribe = subscribe(channel as PushChannel, (payload) => void (listener as (p: unknown) => void)(payload));
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      unsubscribe();
    };
  };
}

/**
 * Builds the frozen API over `port`.
 *
 * Every request takes an optional `{ signal }`: aborting rejects at once with an AbortError
 * and the late reply is dropped. QMP has no way to abort a command inside QEMU, so a
 * cancelled `stop` may still stop the VM; cancelling only stops the waiting.
 */
export function createRpcClient(port: RpcPort): QmpMonitorApi {
  const api: Record<string, unknown> = {};
  for (const name of REQUEST_CHANNELS) {
    api[name] = (params: unknown, options?: CallOptions) =>
      cancellable(name, options?.signal, async () => unwrapEnvelope(name, await port.request(name, params ?? {})));
  }
  api['on'] = checkedOn((channel, listener) => port.onPush(channel, listener));
  return Object.freeze(api) as unknown as QmpMonitorApi;
}

/**
 * Adds cancellation to an API that cannot take a signal itself (the preload's, behind
 * contextBridge, which does not carry an AbortSignal across). The inner call never sees
 * `options`, so nothing uncloneable crosses the bridge.
 */
export function withCancellation(inner: QmpMonitorApi): QmpMonitorApi {
  const api: Record<string, unknown> = {};
  for (const name of REQUEST_CHANNELS) {
    const call = inner[name] as (params: unknown) => Promise<unknown>;
    api[name] = (params: unknown, options?: CallOptions) => cancellable(name, options?.signal, () => call(params));
  }
  api['on'] = inner.on;
  return Object.freeze(api) as unknown as QmpMonitorApi;
}
