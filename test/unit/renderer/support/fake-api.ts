/**
 * A scriptable stand-in for `window.qmp`, so components run against the real store.
 *
 * Every request is a vitest mock with a sensible default answer; tests override single
 * methods and push notifications with `emit`, exactly as the core would.
 */
import { vi, type Mock } from 'vitest';
import type { PushName, PushPayload, QmpMonitorApi, RequestName } from '../../../../electron/common/contract';
import type { AppInfo, VmSnapshot } from '../../../../electron/common/models';
import { API_VERSION } from '../../../../electron/common/channel-names';

type Listener = (payload: never) => void;

/** The fake's request mocks plus `emit` for pushes. */
export type FakeApi = QmpMonitorApi & {
  readonly mocks: { readonly [K in RequestName]: Mock };
  emit<K extends PushName>(channel: K, payload: PushPayload<K>): void;
  listenerCount(channel: PushName): number;
};

/** App info as the web host reports it. */
export const APP_INFO: AppInfo = {
  version: '0.1.0',
  apiVersion: API_VERSION,
  dataDir: '/tmp/qmp-monitor-test',
  qemuBinary: '/usr/bin/qemu-system-x86_64',
  qemuInstallHint: 'sudo apt install qemu-system-x86',
  notices: [],
  host: 'web',
};

/** A connected VM snapshot; override any part. */
export function makeVm(id: string, overrides: Partial<VmSnapshot> = {}): VmSnapshot {
  return {
    config: { id, label: '', target: `unix:/tmp/${id}/qmp.sock`, autoConnect: true },
    origin: 'user',
    connection: { phase: 'ready', attempt: 0, since: 1 },
    qemu: { version: '7.2.22', package: 'Debian 1:7.2+dfsg-7', capabilities: ['oob'] },
    name: id,
    runState: { status: 'running', running: true, updatedAt: 1, source: 'query-status' },
    details: {},
    ...overrides,
  };
}

/** Builds the fake with default answers (no VMs, no events). */
export function createFakeApi(vms: readonly VmSnapshot[] = []): FakeApi {
  const listeners = new Map<PushName, Set<Listener>>();
  const mocks = {
    getAppInfo: vi.fn(async () => APP_INFO),
    listVms: vi.fn(async () => vms),
    addVm: vi.fn(async (p: { target: string; label?: string }) => makeVm('new', { config: { id: 'new', label: p.label ?? '', target: p.target, autoConnect: true } })),
    updateVm: vi.fn(async (p: { id: string }) => makeVm(p.id)),
    removeVm: vi.fn(async () => ({ removed: true })),
    connectVm: vi.fn(async (p: { id: string }) => makeVm(p.id)),
    disconnectVm: vi.fn(async (p: { id: string }) => makeVm(p.id, { connection: { phase: 'stopped', attempt: 0, since: 2 } })),
    executeCommand: vi.fn(async () => ({ ok: true as const, returnJson: '{}', durationMs: 1 })),
    getEvents: vi.fn(async () => ({ events: [], lastSeq: -1 })),
    ackEvents: vi.fn(async () => ({ current: true })),
    getDemo: vi.fn(async () => ({ status: 'absent' as const })),
    startDemo: vi.fn(async () => ({ status: 'starting' as const })),
    stopDemo: vi.fn(async () => ({ status: 'absent' as const })),
    listDiscovered: vi.fn(async () => []),
    getDiscoveryFolders: vi.fn(async () => []),
    setDiscoveryFolders: vi.fn(async (p: { folders: string[] }) => p.folders),
    setVmSharing: vi.fn(async (p: { id: string; enabled: boolean }) => makeVm(p.id)),
    getSchema: vi.fn(async () => ({ schemaJson: '[]', qemu: '7.2.22', package: '' })),
    getHmpCommands: vi.fn(async () => ({ names: [] as string[], qemu: '7.2.22' })),
    getWire: vi.fn(async () => ({ entries: [], lastSeq: 0, dropped: 0, more: false })),
    watchSamples: vi.fn(async () => ({ leaseMs: 10_000, intervalMs: 1000 })),
    getSamples: vi.fn(async () => ({ samples: [], lastSeq: 0, skipped: 0, intervalMs: 1000, sources: { pid: null, hostReason: null, balloonReason: null, memoryReason: null } })),
    dismissJob: vi.fn(async () => ({ forgotten: true })),
    getScreenshot: vi.fn(async () => ({ available: false as const, kind: 'no-display' as const, note: 'no display' })),
    qomList: vi.fn(async () => ({ properties: [] as Array<{ name: string; type: string }> })),
    qomGet: vi.fn(async () => ({ ok: true as const, returnJson: '0', durationMs: 1 })),
    qomSet: vi.fn(async () => ({ set: { ok: true as const, returnJson: '{}', durationMs: 1 } })),
    getHistory: vi.fn(async () => ({ entries: [] })),
    addHistory: vi.fn(async (p: { vmId: string; mode: 'qmp' | 'hmp'; text: string; at: number }) => ({ entries: [p] })),
  } satisfies Record<RequestName, Mock>;
  const api = {
    ...mocks,
    mocks,
    on: (channel: PushName, listener: Listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    emit: (channel: PushName, payload: unknown) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload as never);
    },
    listenerCount: (channel: PushName) => listeners.get(channel)?.size ?? 0,
  };
  return api as unknown as FakeApi;
}
