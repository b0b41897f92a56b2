/**
 * "Share this monitor" is saved with the connection, or nothing changes: a switch that could
 * not be saved keeps the endpoint as it was and says why; a saved "off" holds after a restart.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitorService, type MonitorServiceHandle } from '../../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../../support/qemu';
import { UNWRITABLE_REASON, makeUnwritable, makeWritable } from '../../support/unwritable-dir';

const services: MonitorServiceHandle[] = [];
const dirs: string[] = [];
const locked: string[] = [];
afterEach(async () => {
  for (const dir of locked.splice(0)) makeWritable(dir);
  await Promise.all(services.splice(0).map((s) => s.dispose()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, runtimeFolder: string) {
  const service = await createMonitorService(
    { dataDir, host: 'web', version: 't', journal: false },
    { qemuBinary: null, discoveryRescanMs: 60_000, runtimeFolder, supervisor: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 } },
  );
  services.push(service);
  return service.handlers;
}

function folders() {
  const root = makeTempDir('qmp-share-save-');
  dirs.push(root);
  const dataDir = join(root, 'data');
  return { dataDir, runtimeFolder: join(root, 'runtime'), socket: join(root, 'nobody.sock') };
}

describe('saving the share switch', () => {
  it('changes nothing when the connection list cannot be saved, and says why', async () => {
    const { dataDir, runtimeFolder, socket } = folders();
    const h = await start(dataDir, runtimeFolder);
    const { config } = await h.addVm({ target: socket, autoConnect: true });
    await waitFor(async () => (await h.listVms({}))[0]?.share?.status === 'listening', 'the endpoint to listen');
    makeUnwritable(dataDir);
    locked.push(dataDir);

    await expect(h.setVmSharing({ id: config.id, enabled: false })).rejects.toThrow(new RegExp(`^could not save the connection list in ${dataDir}: ${UNWRITABLE_REASON.source}`));
    const [vm] = await h.listVms({});
    expect(vm!.config.share).toBeUndefined();
    expect(vm!.share).toMatchObject({ enabled: true, status: 'listening' });
  });

  it('keeps a VM\u2019s sharing off across a restart', async () => {
    const { dataDir, runtimeFolder, socket } = folders();
    const first = await start(dataDir, runtimeFolder);
    const { config } = await first.addVm({ target: socket, autoConnect: true });
    await first.setVmSharing({ id: config.id, enabled: false });
    await services.pop()!.dispose();

    const again = await start(dataDir, runtimeFolder);
    const [vm] = await again.listVms({});
    expect(vm!.config).toMatchObject({ id: config.id, share: false });
    expect(vm!.share).toEqual({ enabled: false, status: 'off', clients: [] });
  });
});
