/**
 * Plain, JSON-serialisable shapes that cross the process boundary.
 *
 * QMP payloads travel as JSON *text* (`…Json` fields) written by the core's lossless
 * serialiser, so 64-bit integers survive Electron's structured clone, contextBridge and the
 * WebSocket bridge alike; the renderer decodes them with `parseJsonLossless`.
 */
import { z } from 'zod';
import { JobsStateSchema } from './jobs-models';

/** How the supervisor's connection to one VM stands right now. */
export const ConnectionPhaseSchema = z.enum(['idle', 'connecting', 'ready', 'reconnecting', 'failed', 'stopped']);
/** @see ConnectionPhaseSchema */
export type ConnectionPhase = z.infer<typeof ConnectionPhaseSchema>;

/** Connection state with the reason for it and, when waiting, when the next try happens. */
export const ConnectionStateSchema = z.object({
  phase: ConnectionPhaseSchema,
  reason: z.string().optional(),
  /** Epoch ms of the next reconnect attempt, when phase is `reconnecting`. */
  nextRetryAt: z.number().optional(),
  attempt: z.number().int().nonnegative(),
  /** Epoch ms when this phase began. */
  since: z.number(),
});
/** @see ConnectionStateSchema */
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

/** A saved connection, as the registry persists it. */
export const VmConfigSchema = z.object({
  id: z.string().min(1).max(64),
  label: z.string().max(200),
  /** A target as the CLI takes it: `unix:PATH`, a path, `tcp:HOST:PORT`, `HOST:PORT`. */
  target: z.string().min(1).max(4096),
  autoConnect: z.boolean(),
  /** Share this monitor with other QMP clients through the app (absent: on; see share-control.ts). */
  share: z.boolean().optional(),
});
/** @see VmConfigSchema */
export type VmConfig = z.infer<typeof VmConfigSchema>;

/** One piece of detail read from QEMU; unsupported commands are `unavailable`, not errors. */
export const DetailFieldSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), json: z.string(), readAt: z.number() }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
  z.object({ status: z.literal('error'), errorClass: z.string(), desc: z.string() }),
]);
/** @see DetailFieldSchema */
export type DetailField = z.infer<typeof DetailFieldSchema>;

/** Detail keys the status panel shows, each read with the QMP command named in the comment. */
export const DETAIL_KEYS = [
  'kvm', // query-kvm
  'cpus', // query-cpus-fast
  'memory', // query-memory-size-summary
  'block', // query-block
  'vnc', // query-vnc
  'migration', // query-migrate
] as const;
/** @see DETAIL_KEYS */
export type DetailKey = (typeof DETAIL_KEYS)[number];

/** Run state as QEMU last reported it (query-status, kept live by events). */
export const RunStateSchema = z.object({
  status: z.string(),
  running: z.boolean(),
  /** Epoch ms of the report. */
  updatedAt: z.number(),
  /** What told us: a query-status reply or the named event. */
  source: z.string(),
});
/** @see RunStateSchema */
export type RunState = z.infer<typeof RunStateSchema>;

/** One QMP client using a VM's shared endpoint, as the OS names it. */
export const ShareClientSchema = z.object({
  /** Unique per endpoint ('c1', 'c2', ...): the row key. */
  id: z.string(),
  /** 'unix' or 'tcp 127.0.0.1:5555'. */
  peer: z.string(),
  pid: z.number().int().optional(),
  processName: z.string().optional(),
  /** Epoch ms. */
  connectedAt: z.number(),
  /** Commands it sent so far. */
  commands: z.number().int().nonnegative(),
});
/** @see ShareClientSchema */
export type ShareClient = z.infer<typeof ShareClientSchema>;

/**
 * Whether a VM's monitor is shared and with whom: `off`; `waiting` (on, the VM not connected
 * yet); `listening` (the endpoint accepts clients); `failed` (it could not listen: `error`).
 */
export const ShareStateSchema = z.object({
  enabled: z.boolean(),
  status: z.enum(['off', 'waiting', 'listening', 'failed']),
  /** Where clients connect: a Unix socket path and/or `127.0.0.1:PORT`. */
  endpoint: z.object({ unixPath: z.string().optional(), tcp: z.string().optional() }).optional(),
  clients: z.array(ShareClientSchema),
  /** The last failure (listen refused, registry not written), kept until the next success. */
  error: z.string().optional(),
});
/** @see ShareStateSchema */
export type ShareState = z.infer<typeof ShareStateSchema>;

/** Everything the UI shows about one VM; pushed whole whenever any part changes. */
export const VmSnapshotSchema = z.object({
  config: VmConfigSchema,
  /** Who added it: the user (a found socket's *Add* included), `--connect`, or the demo VM. */
  origin: z.enum(['user', 'cli', 'demo']),
  connection: ConnectionStateSchema,
  qemu: z
    .object({
      version: z.string(),
      package: z.string(),
      capabilities: z.array(z.string()),
    })
    .optional(),
  /** From query-name; absent when QEMU runs without `-name`. */
  name: z.string().optional(),
  uuid: z.string().optional(),
  runState: RunStateSchema.optional(),
  details: z.partialRecord(z.enum(DETAIL_KEYS), DetailFieldSchema),
  /** The shared endpoint of this VM's monitor (absent before the session publishes it). */
  share: ShareStateSchema.optional(),
  /** Jobs (ended ones kept until dismissed) and the migration, kept live (see core/jobs). */
  jobs: JobsStateSchema.optional(),
});
/** @see VmSnapshotSchema */
export type VmSnapshot = z.infer<typeof VmSnapshotSchema>;

/** One QMP event as kept by the app's event log. */
export const TimelineEventSchema = z.object({
  /** Monotonic across all VMs; the renderer catches up from it. */
  seq: z.number().int().nonnegative(),
  vmId: z.string(),
  event: z.string(),
  /** QEMU's own timestamp, as sent. */
  timestamp: z.object({ seconds: z.number(), microseconds: z.number() }),
  /** Epoch ms at which the main process read it. */
  receivedAt: z.number(),
  /** The event's `data` member as lossless JSON text, when present. */
  dataJson: z.string().optional(),
  /**
   * Set on the app's own notes, absent on QEMU's events: `connected` (data: QEMU version),
   * `disconnected` (reason), `reconnect` (attempt, delay), `command` (command, outcome, error
   * class, duration; `origin` `app`, or `shared` with `client` {id, peer, pid, processName}
   * for a command another QMP client sent through the shared endpoint), `share` (a client of
   * the shared endpoint came or went: `change`, `client`, `commands`, `reason`). Their
   * timestamp is the app's clock; `event` names the marker for people.
   */
  marker: z.enum(['connected', 'disconnected', 'reconnect', 'command', 'share']).optional(),
});
/** @see TimelineEventSchema */
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

/** The result of one command, from a button or the console: QEMU's answer or the reason. */
export const CommandOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), returnJson: z.string(), durationMs: z.number() }),
  z.object({
    ok: z.literal(false),
    /** QMP's error class, or a core kind such as `timeout` / `connection` when QEMU never answered. */
    errorClass: z.string(),
    desc: z.string(),
    durationMs: z.number(),
  }),
]);
/** @see CommandOutcomeSchema */
export type CommandOutcome = z.infer<typeof CommandOutcomeSchema>;

/** The app-owned demo VM. */
export const DemoStateSchema = z.object({
  status: z.enum(['absent', 'starting', 'running', 'exited', 'unavailable']),
  pid: z.number().optional(),
  vmId: z.string().optional(),
  /** Why it exited (exit code or signal, and QEMU's stderr tail) or why it is unavailable. */
  reason: z.string().optional(),
  /** When QEMU is not installed: how to install it. */
  installHint: z.string().optional(),
});
/** @see DemoStateSchema */
export type DemoState = z.infer<typeof DemoStateSchema>;

/** A QMP socket found in a watched folder. */
export const DiscoveredSocketSchema = z.object({
  path: z.string(),
  folder: z.string(),
  /** Epoch ms first seen. */
  seenAt: z.number(),
  /** True when a saved connection already points at it. */
  alreadyAdded: z.boolean(),
});
/** @see DiscoveredSocketSchema */
export type DiscoveredSocket = z.infer<typeof DiscoveredSocketSchema>;

/** Facts about the running app that the UI needs once at start. */
export const AppInfoSchema = z.object({
  version: z.string(),
  apiVersion: z.number(),
  dataDir: z.string(),
  /** Absolute path of qemu-system-x86_64, or null when not installed. */
  qemuBinary: z.string().nullable(),
  qemuInstallHint: z.string(),
  /** Messages to show once, e.g. "settings file was corrupt; kept as … and started clean". */
  notices: z.array(z.string()),
  /** `electron` in the app, `web` in the browser bridge. */
  host: z.enum(['electron', 'web']),
});
/** @see AppInfoSchema */
export type AppInfo = z.infer<typeof AppInfoSchema>;
