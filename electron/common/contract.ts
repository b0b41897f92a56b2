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
import { HistoryEntrySchema } from './console-history';
import { COMMAND_NAME_PATTERN, MAX_COMMAND_TEXT_LENGTH } from './command-limits';
import { IPC_PREFIX, PUSH_CHANNELS, REQUEST_CHANNELS, type PushChannel, type RequestChannel } from './channel-names';
import { WirePageSchema, WireRequestSchema } from './wire-entry';
import { GetSamplesSchema, SamplesPageSchema, WatchSamplesResultSchema, WatchSamplesSchema } from './samples';
import { QomPropertySchema, ScreenshotSchema, qomPath, qomPropertyName } from './vm-details-shapes';

export { API_VERSION } from './channel-names';

const vmId = z.string().min(1).max(64);

/** Largest page of events one getEvents may ask for, in bytes (the core's accounting). */
export const MAX_EVENT_PAGE_BYTES = 16 * 1024 * 1024;
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
        /** Also stop at about this many bytes of events (the core's accounting; at least one event comes). */
        maxBytes: z.number().int().min(1).max(MAX_EVENT_PAGE_BYTES).optional(),
      })
      .strict(),
    /**
     * `dropped`: events logged (this run or loaded from the journal) that no longer fit and are gone;
     * `held`: how many the core holds (a history load's "of N").
     */
    result: z.object({
      events: z.array(TimelineEventSchema),
      lastSeq: z.number().int(),
      dropped: z.number().int().nonnegative().optional(),
      held: z.number().int().nonnegative().optional(),
    }),
  },
  /**
   * The page holds every event up to `seq`, for the `events` push whose `flow` id it names: the
   * push's flow control (see event-flow.ts). `current` is false for a flow the core no longer
   * knows (its subscription ended, say with the page's old socket).
   */
  ackEvents: {
    params: z.object({ flow: z.string().min(1).max(64), seq: z.number().int().min(-1) }).strict(),
    result: z.object({ current: z.boolean() }),
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
  /** The console's command history of every VM, oldest first (see console-history.ts). */
  getHistory: { params: z.object({}).strict(), result: z.object({ entries: z.array(HistoryEntrySchema) }) },
  /** Adds one sent command to the history (an older copy moves to the newest place); the new history. */
  addHistory: { params: HistoryEntrySchema.strict(), result: z.object({ entries: z.array(HistoryEntrySchema) }) },
  /** Turns "Share this monitor" on or off for one VM (saved with a user's connection). */
  setVmSharing: { params: z.object({ id: vmId, enabled: z.boolean() }).strict(), result: VmSnapshotSchema },
  /**
   * The connected VM's `query-qmp-schema` as lossless JSON text (the raw SchemaInfo list), read
   * once per QEMU build and cached in the data folder; the page builds the model itself.
   */
  getSchema: {
    params: z.object({ vmId }).strict(),
    result: z.object({ schemaJson: z.string(), qemu: z.string(), package: z.string() }),
  },
  /** HMP command names of the connected VM's build (from `help` and `help info`), cached like the schema. */
  getHmpCommands: { params: z.object({ vmId }).strict(), result: z.object({ names: z.array(z.string()), qemu: z.string() }) },
  /** A VM's raw QMP traffic after `afterSeq`, both directions, exact texts (see wire-entry.ts). */
  getWire: { params: WireRequestSchema, result: WirePageSchema },
  /**
   * Dismisses an ended job's row: `job-dismiss` first (a command marker) while QEMU still holds
   * it concluded, then the app forgets it. `reason` says why nothing was dismissed.
   */
  dismissJob: {
    params: z.object({ vmId, id: z.string().min(1).max(256) }).strict(),
    result: z.object({ forgotten: z.boolean(), outcome: CommandOutcomeSchema.optional(), reason: z.string().optional() }),
  },
  /** Samples the VM for the live charts until the returned lease runs out; renew it while they are shown. */
  watchSamples: { params: WatchSamplesSchema, result: WatchSamplesResultSchema },
  /** The VM's chart samples after `afterSeq`, with rates (see samples.ts). */
  getSamples: { params: GetSamplesSchema, result: SamplesPageSchema },
  /** A screendump of the VM's display as a PNG data: URL, or a note why there is none (vm-details-shapes.ts). */
  getScreenshot: { params: z.object({ vmId }).strict(), result: ScreenshotSchema },
  /** `qom-list` of one QOM path (the QOM browser opens nodes lazily); read without a command marker. */
  qomList: { params: z.object({ vmId, path: qomPath }).strict(), result: z.object({ properties: z.array(QomPropertySchema) }) },
  /** `qom-get` of one property, as lossless JSON text or QEMU's error; read without a command marker. */
  qomGet: { params: z.object({ vmId, path: qomPath, property: qomPropertyName }).strict(), result: CommandOutcomeSchema },
  /** `qom-set` (a marked command, like the console's), then the value read back with `qom-get`. */
  qomSet: {
    params: z.object({ vmId, path: qomPath, property: qomPropertyName, valueJson: z.string().min(1).max(MAX_COMMAND_TEXT_LENGTH) }).strict(),
    result: z.object({ set: CommandOutcomeSchema, readBack: CommandOutcomeSchema.optional() }),
  },
} as const satisfies Record<RequestChannel, { readonly params: z.ZodType; readonly result: z.ZodType }>;

/** Push channels: name → payload schema. */
export const PUSHES = {
  /** A VM's snapshot changed (or it was added). */
  vmChanged: VmSnapshotSchema,
  /** A VM was removed. */
  vmRemoved: z.object({ id: z.string() }),
  /**
   * New events, coalesced over a short window so a flood cannot flood IPC. The push continues the
   * range after `afterSeq` up to `lastSeq`; `headSeq` is the newest seq the core held when it was
   * sent (more pushes follow up to it); `behind` (with no events) says the page is to pull them
   * with getEvents instead. Pages acknowledge with ackEvents naming `flow` (see event-flow.ts).
   */
  events: z.object({
    events: z.array(TimelineEventSchema),
    afterSeq: z.number().int().min(-1).optional(),
    lastSeq: z.number().int().optional(),
    headSeq: z.number().int().optional(),
    flow: z.string().optional(),
    behind: z.boolean().optional(),
  }),
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
