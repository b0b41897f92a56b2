/**
 * The one IPC contract, shared by main, preload, renderer and the browser bridge.
 *
 * Request channels map a method name to a zod schema for its params (validated on every
 * call, because the renderer is untrusted) and one for its result (used for types). Push
 * channels carry main → renderer notifications. Both transports (Electron IPC and the
 * loopback WebSocket of `npm run web`) serve exactly this map, so the UI cannot tell them apart.
 */
import { z } from 'zod';
import {
  AppInfoSchema,
  CommandOutcomeSchema,
  DemoStateSchema,
  DiscoveredSocketSchema,
  TimelineEventSchema,
  VmSnapshotSchema,
} from './models';
import { COMMAND_NAME_PATTERN, MAX_COMMAND_TEXT_LENGTH } from './command-limits';
import { IPC_PREFIX, PUSH_CHANNELS, REQUEST_CHANNELS, type PushChannel, type RequestChannel } from './channel-names';

export { API_VERSION } from './channel-names';

const vmId = z.string().min(1).max(64);
const label = z.string().trim().max(200);
const target = z.string().trim().min(1, 'a socket path or HOST:PORT is required').max(4096);

/** Request/response channels: name → { params, result }. */
export const REQUESTS = {
  /** Version, data folder, whether QEMU is installed, start-up notices. */
  getAppInfo: { params: z.object({}).strict(), result: AppInfoSchema },
  /** Every VM with its current snapshot. */
  listVms: { params: z.object({}).strict(), result: z.array(VmSnapshotSchema) },
  /** Saves a connection and (if autoConnect) connects it. */
  addVm: {
    params: z.object({ label: label.optional(), target, autoConnect: z.boolean().default(true) }).strict(),
    result: VmSnapshotSchema,
  },
  /** Changes a saved connection; a new target reconnects. */
  updateVm: {
    params: z
      .object({ id: vmId, label: label.optional(), target: target.optional(), autoConnect: z.boolean().optional() })
      .strict(),
    result: VmSnapshotSchema,
  },
  /** Forgets a connection (closing it). */
  removeVm: { params: z.object({ id: vmId }).strict(), result: z.object({ removed: z.boolean() }) },
  /** Starts (or restarts) supervising a connection. */
  connectVm: { params: z.object({ id: vmId }).strict(), result: VmSnapshotSchema },
  /** Stops supervising a connection and closes its socket. */
  disconnectVm: { params: z.object({ id: vmId }).strict(), result: VmSnapshotSchema },
  /**
   * Runs one QMP command: the single path for buttons and the console.
   * `argumentsJson` is JSON text so 64-bit integers typed by the user survive.
   */
  executeCommand: {
    params: z
      .object({
        vmId,
        command: z.string().regex(COMMAND_NAME_PATTERN, 'not a QMP command name'),
        argumentsJson: z.string().max(MAX_COMMAND_TEXT_LENGTH).optional(),
        timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
        oob: z.boolean().optional(),
      })
      .strict(),
    result: CommandOutcomeSchema,
  },
  /**
   * Events after `afterSeq` (exclusive), oldest first; for start-up and after-reload catch-up.
   * At most `limit` of them: the first ones (paging forward), or with `newest` the last ones,
   * which is what a catch-up wants when more events are held than one page.
   */
  getEvents: {
    params: z
      .object({
        afterSeq: z.number().int().min(-1),
        limit: z.number().int().min(1).max(100_000).default(10_000),
        newest: z.boolean().optional(),
      })
      .strict(),
    /** `dropped`: events logged (this run or loaded from the journal) that no longer fit and are gone. */
    result: z.object({ events: z.array(TimelineEventSchema), lastSeq: z.number().int(), dropped: z.number().int().nonnegative().optional() }),
  },
  /** State of the app-owned demo VM. */
  getDemo: { params: z.object({}).strict(), result: DemoStateSchema },
  /** Starts the local demo VM (qemu-system-x86_64 -M pc -S) and adds it. */
  startDemo: { params: z.object({}).strict(), result: DemoStateSchema },
  /** Stops the demo VM. */
  stopDemo: { params: z.object({}).strict(), result: DemoStateSchema },
  /** QMP sockets found in watched folders and not yet dismissed. */
  listDiscovered: { params: z.object({}).strict(), result: z.array(DiscoveredSocketSchema) },
  /** Folders watched for sockets. */
  getDiscoveryFolders: { params: z.object({}).strict(), result: z.array(z.string()) },
  /** Replaces the watched folders (absolute paths). */
  setDiscoveryFolders: {
    params: z.object({ folders: z.array(z.string().min(1).max(4096).startsWith('/')).max(32) }).strict(),
    result: z.array(z.string()),
  },
} as const satisfies Record<RequestChannel, { readonly params: z.ZodType; readonly result: z.ZodType }>;

/** Push channels: name → payload schema. */
export const PUSHES = {
  /** A VM's snapshot changed (or it was added). */
  vmChanged: VmSnapshotSchema,
  /** A VM was removed. */
  vmRemoved: z.object({ id: z.string() }),
  /** New events, coalesced over a short window so a flood cannot flood IPC. */
  events: z.object({ events: z.array(TimelineEventSchema) }),
  /** The demo VM's state changed. */
  demoChanged: DemoStateSchema,
  /** The discovered-socket list changed. */
  discoveryChanged: z.array(DiscoveredSocketSchema),
} as const satisfies Record<PushChannel, z.ZodType>;

/** Names of request channels (the runtime allow-list). */
export type RequestName = keyof typeof REQUESTS;
/** Names of push channels. */
export type PushName = keyof typeof PUSHES;
/** Params as the caller writes them (defaults optional). */
export type RequestParams<K extends RequestName> = z.input<(typeof REQUESTS)[K]['params']>;
/** Params after validation (defaults filled in). */
export type ValidRequestParams<K extends RequestName> = z.output<(typeof REQUESTS)[K]['params']>;
/** What a request resolves to. */
export type RequestResult<K extends RequestName> = z.output<(typeof REQUESTS)[K]['result']>;
/** What a push channel carries. */
export type PushPayload<K extends PushName> = z.output<(typeof PUSHES)[K]>;

/** Runtime list of request names, for allow-lists in preload and bridges. */
export const REQUEST_NAMES: RequestName[] = [...REQUEST_CHANNELS];
/** Runtime list of push names. */
export const PUSH_NAMES: PushName[] = [...PUSH_CHANNELS];

/**
 * Options every request accepts (see `rpc-client.ts`).
 *
 * `signal` stops the waiting: the call rejects at once with an AbortError and a late reply is
 * dropped. QMP cannot abort a command inside QEMU, so the command itself may still take effect.
 */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/**
 * The API the renderer sees (`window.qmp`), identical over Electron IPC and the web bridge.
 *
 * Every request rejects with an Error whose message is the main side's reason.
 */
export type QmpMonitorApi = {
  readonly [K in RequestName]: (params: RequestParams<K>, options?: CallOptions) => Promise<RequestResult<K>>;
} & {
  /** Subscribes to a push channel; returns the unsubscribe function. */
  readonly on: <K extends PushName>(channel: K, listener: (payload: PushPayload<K>) => void) => () => void;
};

/** Main-side implementation of the requests (the core's MonitorService provides it). */
export type RequestHandlers = {
  readonly [K in RequestName]: (params: ValidRequestParams<K>) => Promise<RequestResult<K>>;
};

/** Channel prefix for Electron IPC (defined zod-free in `channel-names.ts` for the preload). */
export { IPC_PREFIX };
