/**
 * The one place that finds the core's API: Electron's preload, or the loopback web bridge.
 *
 * In the app the preload puts `window.qmp` in place before any script runs. In a plain browser
 * (`npm run web`) there is no preload, so the page connects to the bridge with the one-time
 * token the server printed in the URL. Anything else is a setup mistake, reported clearly.
 * Either way every request accepts `{ signal }`: the web client handles it itself, the
 * preload's API gets it added here, because an AbortSignal cannot cross contextBridge.
 */
import type { QmpMonitorApi } from '../../../electron/common/contract';
import { withCancellation } from '../../../electron/common/rpc-client';
import type { LinkSource } from '../../../electron/common/rpc-link';
import { bridgeUrlFromLocation, connectWebBridge } from './web-bridge-client';

/** The parts of `window` this module reads, so tests can pass their own. */
export interface ApiHost {
  readonly qmp?: unknown;
  readonly location: { readonly host: string; readonly search: string };
}

/** The API, plus link events when the transport can drop and come back. */
export type LoadedApi = QmpMonitorApi & Partial<LinkSource>;

/** Resolves to the API object or rejects with a message a user can act on. */
export async function loadQmpApi(host: ApiHost = window): Promise<LoadedApi> {
  if (isApi(host.qmp)) return withCancellation(host.qmp);
  if (!new URLSearchParams(host.location.search).get('token')) {
    throw new Error(
      'QMP Monitor cannot reach its core: there is no Electron preload (window.qmp) and no ?token= in the address. ' +
        'Start the app with `npm start`, or open the exact URL that `npm run web` printed.',
    );
  }
  try {
    return await connectWebBridge(bridgeUrlFromLocation(host.location));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not connect to the QMP Monitor web bridge at ws://${host.location.host}/bridge: ${reason}`, { cause: error });
  }
}

function isApi(value: unknown): value is QmpMonitorApi {
  const candidate = value as Partial<Record<keyof QmpMonitorApi, unknown>> | undefined;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.listVms === 'function' && typeof candidate.on === 'function';
}
