/**
 * The Electron-free core behind every UI host: VMs, commands, events, demo VM and discovery.
 *
 * The Electron main process and the `npm run web` bridge both call `createMonitorService` and
 * only forward validated requests and pushes; no behaviour lives in the transports.
 */
import { API_VERSION, type PushName, type PushPayload, type RequestHandlers } from '../../common/contract';
import type { TimelineEvent } from '../../common/models';
import { KeyedCoalescer, PushBatcher } from './push-batcher';
import type { SupervisorOptions } from '../qmp/supervisor';
import { DEMO_VM_ID, DemoController } from './demo-controller';
import { prepareDataFolder } from './data-folder';
import { createDiscovery, type DiscoveryControl } from './discovery-control';
import { parseCommandArguments } from './command-arguments';
import { VmSet } from './vm-set';
import type { MonitorServiceHandle, MonitorServiceOptions, PushListener } from './service-types';
import { DEFAULT_EVENT_LOG_CAPACITY, EventLog } from '../vm/event-log';
import { openEventJournal } from '../journal/journal-setup';
import { QEMU_BINARY_NAME, findOnPath, qemuInstallHint } from '../vm/qemu-binary';
import { VmRegistry, normaliseTarget } from '../vm/vm-registry';

export type { MonitorServiceHandle, MonitorServiceOptions } from './service-types';

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
  /** Discovery's safety-net rescan period (default 5 s). */
  readonly discoveryRescanMs?: number;
  /** Size at which the journal starts a new file (default 16 MB). */
  readonly journalFileBytes?: number;
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
  const eventLog = new EventLog(capacity);
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
    eventBatcher.add(entry);
    journal?.add(entry);
  };
  const eventBatcher = new PushBatcher<TimelineEvent>({
    windowMs: tuning.eventPushWindowMs ?? 50,
    maxPerFlush: tuning.maxEventsPerPush ?? 5_000,
    deliver: (events) => push('events', { events: [...events] }),
  });
  const vmChanges = new KeyedCoalescer<PushPayload<'vmChanged'>>(30, (snapshot) => push('vmChanged', snapshot));

  const registry = new VmRegistry(options.dataDir);
  if (unwritable !== undefined) registry.disableSaving();
  const loaded = await registry.load();
  if (loaded.notice) notices.push(loaded.notice);

  // Assigned once discovery starts; VM removals before that have nothing to refresh.
  let discovery: DiscoveryControl | undefined = undefined;
  const vms = new VmSet({
    registry,
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
    getEvents: async ({ afterSeq, limit, newest }) => {
      const page = eventLog.since(afterSeq, limit, { newest: newest === true });
      return { events: [...page.events], lastSeq: page.lastSeq, dropped: page.dropped };
    },
    getDemo: async () => demo.state,
    startDemo: () => demo.start(),
    stopDemo: () => demo.stop(),
    listDiscovered: async () => [...(discovery?.sockets ?? [])],
    getDiscoveryFolders: async () => [...(discovery?.folders ?? [])],
    setDiscoveryFolders: async ({ folders }) => [...(await discovery.setFolders(folders))],
  };

  let disposed: Promise<void> | undefined;
  return {
    handlers,
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed ??= (async () => {
        discovery?.dispose();
        await Promise.allSettled([demo.stop(), vms.dispose()]);
        eventBatcher.flush();
        await journal?.close();
        vmChanges.flush();
        eventBatcher.dispose();
        vmChanges.dispose();
        listeners.clear();
        await discovery?.idle();
      })();
      return disposed;
    },
  };
}

