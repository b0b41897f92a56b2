/**
 * The Electron-free core behind every UI host: VMs, commands, events, demo VM and discovery.
 *
 * The Electron main process and the `npm run web` bridge both call `createMonitorService` and
 * only forward validated requests and pushes; no behaviour lives in the transports.
 */
import { API_VERSION, type PushName, type PushPayload, type RequestHandlers } from '../../common/contract';
import type { TimelineEvent, VmSnapshot } from '../../common/models';
import { KeyedCoalescer } from './push-batcher';
import { DEFAULT_EVENT_FLOW, EventFlow } from './event-flow';
import type { SupervisorOptions } from '../qmp/supervisor';
import { DEMO_VM_ID, DemoController } from './demo-controller';
import { prepareDataFolder } from './data-folder';
import { createDiscovery, type DiscoveryControl } from './discovery-control';
import { parseCommandArguments } from './command-arguments';
import { VmSet } from './vm-set';
import { ShareControl } from './share-control';
import { SharedMonitor } from '../share/shared-monitor';
import { registerHeldTarget } from '../share/held-targets';
import { runtimeFolderPath } from '../share/runtime-folder';
import { HistoryStore } from '../console/history-store';
import { connectedClient, SchemaReader } from '../schema/schema-reader';
import { detailsHandlers } from '../details/details-handlers';
import type { MonitorServiceHandle, MonitorServiceOptions, PushListener } from './service-types';
import { DEFAULT_EVENT_LOG_CAPACITY, DEFAULT_EVENT_LOG_MAX_BYTES, EventLog } from '../vm/event-log';
import { openEventJournal } from '../journal/journal-setup';
import { QEMU_BINARY_NAME, findOnPath, qemuInstallHint } from '../vm/qemu-binary';
import { VmRegistry, normaliseTarget } from '../vm/vm-registry';
import { SamplingControl } from '../sampling/sampling-control';

export type { MonitorServiceHandle, MonitorServiceOptions } from './service-types';

/** A VM's snapshot goes out this long after its first change (the changes inside coalesce). */
const VM_PUSH_WINDOW_MS = 30;
/**
 * ...and, while it keeps changing, at most once per this long: four times a second is live
 * for a status page, and a VM under a flood of job events no longer sends its whole snapshot
 * (jobs included) 33 times a second (see push-batcher.ts).
 */
const VM_PUSH_MIN_INTERVAL_MS = 250;

/**
 * A VM's connection or run state changed: that snapshot goes out at the next window whatever
 * the interval, since a person (or a script waiting on the status) must see a VM that went
 * away or stopped at once; the interval is for the many changes of a busy VM's jobs and details.
 */
function vmChangeIsUrgent(delivered: VmSnapshot, next: VmSnapshot): boolean {
  return delivered.connection.phase !== next.connection.phase || delivered.runState?.status !== next.runState?.status;
}

/** Knobs for tests and benchmarks; the app uses the defaults. */
export interface MonitorServiceTuning {
  readonly supervisor?: SupervisorOptions;
  /** Overrides the PATH lookup of qemu-system-x86_64 (null = pretend it is missing). */
  readonly qemuBinary?: string | null;
  readonly eventLogCapacity?: number;
  /** Window of the `events` push (default 50 ms). */
  readonly eventPushWindowMs?: number;
  /** Most events in one `events` push (default 5000). */
  readonly maxEventsPerPush?: number;
  /** Most bytes in one `events` push (default 4 MB; see event-flow.ts). */
  readonly maxBytesPerPush?: number;
  /** Most bytes pushed to one page and not yet acknowledged (default 8 MB). */
  readonly eventWindowBytes?: number;
  /** Byte bound of the event log (default 256 MB; see event-log.ts). */
  readonly eventLogMaxBytes?: number;
  /** Discovery's safety-net rescan period (default 5 s). */
  readonly discoveryRescanMs?: number;
  /** Runtime folder of the shared endpoints and the held-target registry (default: share/runtime-folder.ts). */
  readonly runtimeFolder?: string;
  /** Bytes a shared-endpoint client may leave unread before it is cut off (default 16 MiB). */
  readonly shareClientQueueBytes?: number;
  /** Size at which the journal starts a new file (default 16 MB). */
  readonly journalFileBytes?: number;
  /** How long one watchSamples lasts without renewal (default 10 s; see sampling-control.ts). */
  readonly sampleLeaseMs?: number;
}

/**
 * Starts the core: locks the data folder, loads settings, restores saved VMs, connects
 * `connect` targets, starts the demo when asked and begins watching discovery folders.
 *
 * @throws DataFolderError or DataFolderInUseError (one line for people) when the data folder
 *   cannot be used; a read-only folder starts with saving disabled and a notice instead.
 */
export async function createMonitorService(options: MonitorServiceOptions, tuning: MonitorServiceTuning = {}): Promise<MonitorServiceHandle> {
  const folder = await prepareDataFolder(options.dataDir);
  let service: MonitorServiceHandle;
  try {
    service = await startService(options, tuning, folder.unwritable);
  } catch (error) {
    await folder.lock?.release();
    throw error;
  }
  return { ...service, dispose: () => service.dispose().finally(() => folder.lock?.release()) };
}

async function startService(options: MonitorServiceOptions, tuning: MonitorServiceTuning, unwritable: string | undefined): Promise<MonitorServiceHandle> {
  const listeners = new Set<PushListener>();
  const push = <K extends PushName>(channel: K, payload: PushPayload<K>): void => {
    for (const listener of listeners) {
      try {
        listener(channel, payload);
      } catch {
        // A broken transport must not break the core or the other windows.
      }
    }
  };
  const notices: string[] = [];
  if (unwritable !== undefined) {
    notices.push(`Saving is disabled: the data folder ${options.dataDir} cannot be written (${unwritable}); connections and settings you change last until you quit.`);
  }

  const capacity = tuning.eventLogCapacity ?? DEFAULT_EVENT_LOG_CAPACITY;
  const eventLog = new EventLog(capacity, tuning.eventLogMaxBytes ?? options.eventLogMaxBytes ?? DEFAULT_EVENT_LOG_MAX_BYTES);
  const { events: journaled, skipped, journal } = await openEventJournal({
    dataDir: options.dataDir,
    enabled: options.journal !== false,
    unwritable,
    keep: capacity,
    notices,
    ...(options.journalMaxBytes !== undefined ? { maxBytes: options.journalMaxBytes } : {}),
    ...(tuning.journalFileBytes !== undefined ? { fileBytes: tuning.journalFileBytes } : {}),
    ...(tuning.eventPushWindowMs !== undefined ? { windowMs: tuning.eventPushWindowMs } : {}),
  });
  eventLog.restore(journaled, skipped);
  /** Every entry, QEMU's or the app's, goes the same way: log (seq), push, journal. */
  const record = (entry: TimelineEvent): void => {
    eventFlow.notify();
    journal?.add(entry);
  };
  const eventFlow = new EventFlow(eventLog, {
    windowMs: tuning.eventPushWindowMs ?? DEFAULT_EVENT_FLOW.windowMs,
    maxEventsPerPush: tuning.maxEventsPerPush ?? DEFAULT_EVENT_FLOW.maxEventsPerPush,
    maxBytesPerPush: tuning.maxBytesPerPush ?? DEFAULT_EVENT_FLOW.maxBytesPerPush,
    windowBytes: tuning.eventWindowBytes ?? DEFAULT_EVENT_FLOW.windowBytes,
  });
  const vmChanges = new KeyedCoalescer<PushPayload<'vmChanged'>>(VM_PUSH_WINDOW_MS, (snapshot) => push('vmChanged', snapshot), {
    minIntervalMs: VM_PUSH_MIN_INTERVAL_MS,
    urgent: vmChangeIsUrgent,
  });

  const consoleHistory = new HistoryStore(options.dataDir);
  if (unwritable !== undefined) consoleHistory.disableSaving();
  const historyNotice = await consoleHistory.load();
  if (historyNotice) notices.push(historyNotice);

  const schemas = new SchemaReader(options.dataDir, () => unwritable === undefined);
  const registry = new VmRegistry(options.dataDir);
  if (unwritable !== undefined) registry.disableSaving();
  const loaded = await registry.load();
  if (loaded.notice) notices.push(loaded.notice);

  // Assigned once discovery starts; VM removals before that have nothing to refresh.
  let discovery: DiscoveryControl | undefined = undefined;
  const runtimeFolder = tuning.runtimeFolder ?? runtimeFolderPath();
  const holder = options.host === 'electron' ? 'QMP Monitor app' : 'QMP Monitor (npm run web)';
  const share = new ShareControl({
    folder: runtimeFolder,
    createEndpoint: (endpoint) => new SharedMonitor(endpoint),
    hold: (target, endpoint) => registerHeldTarget(target, endpoint, holder, runtimeFolder),
    onMarker: (vmId, marker, at) => record(eventLog.appendMarker(vmId, marker, at)),
    log: options.log ?? ((line) => process.stderr.write(`qmp-monitor: ${line}\n`)),
    ...(tuning.shareClientQueueBytes !== undefined ? { maxClientQueueBytes: tuning.shareClientQueueBytes } : {}),
  });
  const vms = new VmSet({
    registry,
    share,
    ...(tuning.supervisor ? { supervisor: tuning.supervisor } : {}),
    onChange: (snapshot) => vmChanges.set(snapshot.config.id, snapshot),
    onRemoved: (id) => {
      vmChanges.drop(id);
      push('vmRemoved', { id });
      discovery?.refreshAdded();
    },
    onEvent: (vmId, event, receivedAt) => record(eventLog.append(vmId, event, receivedAt)),
    onMarker: (vmId, marker, at) => record(eventLog.appendMarker(vmId, marker, at)),
  });
  vms.restore(loaded.configs);
  const sampling = new SamplingControl(vms, tuning.sampleLeaseMs);

  const qemuBinary = tuning.qemuBinary !== undefined ? tuning.qemuBinary : await findOnPath(QEMU_BINARY_NAME);
  const demo = new DemoController(vms, { dataDir: options.dataDir, binary: qemuBinary, onChange: (s) => push('demoChanged', s) });

  discovery = await createDiscovery({
    dataDir: options.dataDir,
    isAdded: (path) => vms.hasSocket(path),
    onChange: (sockets) => push('discoveryChanged', [...sockets]),
    notices,
    savingDisabled: unwritable !== undefined,
    ...(tuning.discoveryRescanMs !== undefined ? { rescanMs: tuning.discoveryRescanMs } : {}),
  });

  for (const snapshot of vms.snapshots()) if (snapshot.config.autoConnect) vms.get(snapshot.config.id).connect();
  for (const target of options.connect ?? []) {
    try {
      const existing = await vms.findSameMonitor(normaliseTarget(target));
      if (existing) existing.connect();
      else await vms.add({ target, autoConnect: true, origin: 'cli' });
    } catch (error) {
      notices.push(`--connect ${target} was ignored: ${(error as Error).message}`);
    }
  }
  if (options.demo) void demo.start().catch((error: Error) => notices.push(`The demo VM could not be started: ${error.message}`));

  const handlers: RequestHandlers = {
    ...detailsHandlers(vms, schemas),
    getAppInfo: async () => ({
      version: options.version,
      apiVersion: API_VERSION,
      dataDir: options.dataDir,
      qemuBinary,
      qemuInstallHint: qemuInstallHint(),
      notices: [...notices],
      host: options.host,
    }),
    listVms: async () => vms.snapshots(),
    addVm: async (p) => {
      const session = await vms.add({ target: p.target, label: p.label, autoConnect: p.autoConnect, origin: 'user' });
      discovery?.refreshAdded();
      return session.snapshot;
    },
    updateVm: async (p) => {
      const session = await vms.update(p.id, p);
      discovery?.refreshAdded();
      return session.snapshot;
    },
    removeVm: async ({ id }) => {
      // Removing the demo VM means stopping its QEMU too: nothing else would ever stop it.
      if (id === DEMO_VM_ID && vms.find(id)) {
        await demo.stop();
        return { removed: true };
      }
      return { removed: await vms.remove(id) };
    },
    connectVm: async ({ id }) => {
      const session = vms.get(id);
      session.connect();
      return session.snapshot;
    },
    disconnectVm: async ({ id }) => {
      const session = vms.get(id);
      await session.disconnect();
      return session.snapshot;
    },
    executeCommand: async (p) => {
      const session = vms.get(p.vmId);
      const args = parseCommandArguments(p.argumentsJson);
      if (!args.ok) return { ok: false, errorClass: 'invalid-arguments', desc: args.reason, durationMs: 0 };
      return session.execute(p.command, args.value, p.timeoutMs, p.oob);
    },
    getEvents: async ({ afterSeq, limit, newest, maxBytes }) => {
      const page = eventLog.since(afterSeq, limit, { newest: newest === true, ...(maxBytes !== undefined ? { maxBytes } : {}) });
      return { events: [...page.events], lastSeq: page.lastSeq, dropped: page.dropped, held: page.held };
    },
    ackEvents: async ({ flow, seq }) => ({ current: eventFlow.ack(flow, seq) }),
    getDemo: async () => demo.state,
    startDemo: () => demo.start(),
    stopDemo: () => demo.stop(),
    listDiscovered: async () => [...(discovery?.sockets ?? [])],
    getDiscoveryFolders: async () => [...(discovery?.folders ?? [])],
    setDiscoveryFolders: async ({ folders }) => [...(await discovery.setFolders(folders))],
    getHistory: async () => ({ entries: [...consoleHistory.entries] }),
    addHistory: async (entry) => ({ entries: [...(await consoleHistory.add(entry))] }),
    setVmSharing: async ({ id, enabled }) => (await vms.setSharing(id, enabled)).snapshot,
    getSchema: async ({ vmId }) => schemas.schema(connectedClient(vms, vmId)),
    getHmpCommands: async ({ vmId }) => schemas.hmpCommands(connectedClient(vms, vmId)),
    watchSamples: async ({ vmId, intervalMs }) => sampling.watch(vmId, intervalMs),
    getSamples: async ({ vmId, afterSeq }) => sampling.page(vmId, afterSeq),
    dismissJob: ({ vmId, id }) => vms.get(vmId).dismissJob(id),
    getWire: async ({ vmId, afterSeq, maxTextChars }) => {
      const page = vms.get(vmId).wire.since(afterSeq, maxTextChars);
      return { entries: [...page.entries], lastSeq: page.lastSeq, dropped: page.dropped, more: page.more };
    },
  };

  let disposed: Promise<void> | undefined;
  return {
    handlers,
    onPush(listener, flow) {
      listeners.add(listener);
      // Each listener is one page (or one window's fan-out): its own place in the events flow.
      const unsubscribeEvents = eventFlow.subscribe({ send: (payload) => listener('events', payload), ...(flow?.congested ? { congested: flow.congested } : {}) });
      return () => {
        listeners.delete(listener);
        unsubscribeEvents();
      };
    },
    dispose() {
      disposed ??= (async () => {
        discovery?.dispose();
        sampling.dispose();
        await Promise.allSettled([demo.stop(), vms.dispose()]);
        eventFlow.flush();
        await journal?.close();
        vmChanges.flush();
        eventFlow.dispose();
        vmChanges.dispose();
        listeners.clear();
        await discovery?.idle();
        await consoleHistory.idle();
      })();
      return disposed;
    },
  };
}

