/**
 * The one place that finds the core's API: Electron's preload, or the loopback web bridge.
 *
 * In the app the preload puts `window.qmp` in place before any script runs. In a plain browser
 * (`npm run web`) there is no preload, so the page connects to the bridge with the one-time
 * token the server printed in the URL. Anything else is a setup mistake, reported clearly.
 */
import type { QmpMonitorApi } from '../../../electron/common/contract';
import { connectWebBridge } from './web-bridge-client';

/** The parts of `window` this module reads, so tests can pass their own. */
export interface ApiHost {
  readonly qmp?: unknown;
  readonly location: { readonly host: string; readonly search: string };
}

/** Resolves to the API object or rejects with a message a user can act on. */
export async function loadQmpApi(host: ApiHost = window): Promise<QmpMonitorApi> {
  if (isApi(host.qmp)) return host.qmp;
  const token = new URLSearchParams(host.location.search).get('token');
  if (!token) {
    throw new Error(
      'QMP Monitor cannot reach its core: there is no Electron preload (window.qmp) and no ?token= in the address. ' +
        'Start the app with `npm start`, or open the exact URL that `npm run web` printed.',
    );
  }
  const url = `ws://${host.location.host}/bridge?token=${encodeURIComponent(token)}`;
  try {
    return await connectWebBridge(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not connect to the QMP Monitor web bridge at ws://${host.location.host}/bridge: ${reason}`);
  }
}

function isApi(value: unknown): value is QmpMonitorApi {
  const candidate = value as Partial<Record<keyof QmpMonitorApi, unknown>> | undefined;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.listVms === 'function' && typeof candidate.on === 'function';
}
