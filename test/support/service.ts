/**
 * One set-up for tests of the MonitorService itself (no transport): start it on a fresh data
 * folder, watch its pushes, and have every service and QEMU of a test stopped after it.
 */
import { afterAll, afterEach } from 'vitest';
import type { PushName } from '../../electron/common/contract';
import type { VmSnapshot } from '../../electron/common/models';
import {
  createMonitorService,
  type MonitorServiceHandle,
  type MonitorServiceOptions,
  type MonitorServiceTuning,
} from '../../electron/core/service/monitor-service';
import { killAllQemu, makeTempDir, startQemu, type TestQemu } from './qemu';

/** Fast, deterministic knobs: no QEMU lookup, quick reconnects, no rescans during a test. */
export const TEST_TUNING: MonitorServiceTuning = {
  qemuBinary: null,
  supervisor: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 },
  discoveryRescanMs: 60_000,
};

/** A started service with what it pushed so far and each VM's latest snapshot. */
export interface TestService {
  readonly svc: MonitorServiceHandle;
  readonly dataDir: string;
  readonly pushes: { channel: PushName; payload: unknown }[];
  readonly latest: Map<string, VmSnapshot>;
  /** The lines the service wrote for people (its `log`: shared-endpoint clients), kept here instead of stderr. */
  readonly logLines: string[];
}

/**
 * Registers the after-hooks and returns the helpers of one test file.
 *
 * `startService` makes a data folder unless given one, and a runtime folder for shared
 * endpoints unless the tuning names one (so no test writes to the user's real runtime folder,
 * where a killed test would leave stale sockets); `qemu` starts a tracked QEMU. Both are
 * stopped after each test, services first (so no reconnect races a killed QEMU).
 */
export function useServiceFixture() {
  const services: MonitorServiceHandle[] = [];
  const qemus: TestQemu[] = [];
  afterEach(async () => {
    await Promise.allSettled(services.splice(0).map((s) => s.dispose()));
    await Promise.allSettled(qemus.splice(0).map((q) => q.kill()));
  });
  afterAll(killAllQemu);

  return {
    async startService(options: Partial<MonitorServiceOptions> = {}, tuning: MonitorServiceTuning = TEST_TUNING): Promise<TestService> {
      const dataDir = options.dataDir ?? makeTempDir('qmp-svc-');
      const runtimeFolder = tuning.runtimeFolder ?? makeTempDir('qmp-svc-run-');
      const logLines: string[] = [];
      const log = (line: string): void => void logLines.push(line);
      const svc = await createMonitorService({ host: 'web', version: 'test', log, ...options, dataDir }, { ...tuning, runtimeFolder });
      services.push(svc);
      const pushes: { channel: PushName; payload: unknown }[] = [];
      const latest = new Map<string, VmSnapshot>();
      svc.onPush((channel, payload) => {
        pushes.push({ channel, payload });
        if (channel === 'vmChanged') latest.set((payload as VmSnapshot).config.id, payload as VmSnapshot);
      });
      return { svc, dataDir, pushes, latest, logLines };
    },
    async qemu(...args: Parameters<typeof startQemu>): Promise<TestQemu> {
      const started = await startQemu(...args);
      qemus.push(started);
      return started;
    },
    /** Stops one service now (e.g. to restart the core on the same folder). */
    async stopService(svc: MonitorServiceHandle): Promise<void> {
      const index = services.indexOf(svc);
      if (index >= 0) services.splice(index, 1);
      await svc.dispose();
    },
  };
}
