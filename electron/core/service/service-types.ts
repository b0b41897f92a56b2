/**
 * What a transport (Electron IPC host, WebSocket bridge) needs from the core's MonitorService.
 *
 * Transports only validate, route and forward; all behaviour lives behind this interface.
 */
import type { PushName, PushPayload, RequestHandlers } from '../../common/contract';

/** Listener for push notifications, already coalesced by the service. */
export type PushListener = <K extends PushName>(channel: K, payload: PushPayload<K>) => void;

/** Options shared by the app and `npm run web` (from `--data-dir`, `--connect`, `--demo`). */
export interface MonitorServiceOptions {
  /** Folder for settings and history (the app's user-data folder unless `--data-dir`). */
  readonly dataDir: string;
  /** Which host serves the UI; reported by getAppInfo. */
  readonly host: 'electron' | 'web';
  /** App version reported by getAppInfo. */
  readonly version: string;
  /** Targets to add and connect at start (`--connect`, repeatable). */
  readonly connect?: readonly string[];
  /** Start the demo VM at launch (`--demo`). */
  readonly demo?: boolean;
  /** Keep the event timeline on disk across restarts (default true; `--no-journal` turns it off). */
  readonly journal?: boolean;
  /** Most bytes the journal may take on disk (default 200 MB; `--journal-max-mb`). */
  readonly journalMaxBytes?: number;
  /** Most bytes the event log holds in memory (default 256 MB; `--event-log-max-mb`). */
  readonly eventLogMaxBytes?: number;
  /**
   * Lines for people about what other programs do through the shared endpoints (clients
   * connecting, disconnecting, cut off, with the reason); default: the process's stderr.
   */
  readonly log?: (line: string) => void;
}

/** The running core behind one window (or one web server). */
export interface MonitorServiceHandle {
  /** Validated requests land here (see `dispatchRequest`). */
  readonly handlers: RequestHandlers;
  /**
   * Subscribes to push notifications; returns the unsubscribe function.
   *
   * Each listener gets its own place in the `events` flow (see event-flow.ts); `flow.congested`
   * lets a transport that can see its own backlog (a WebSocket's bufferedAmount) hold pushes back.
   */
  onPush(listener: PushListener, flow?: { readonly congested?: () => boolean }): () => void;
  /** Closes every connection, stops the demo VM and watchers, flushes settings. */
  dispose(): Promise<void>;
}
