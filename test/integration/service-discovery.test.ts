/**
 * Discovery of QMP sockets in watched folders, with real QEMU creating the sockets.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredSocket } from '../../electron/common/models';
import type { MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../support/qemu';
import { useServiceFixture } from '../support/service';

const fixture = useServiceFixture();
const discoveryOnly = { qemuBinary: null, discoveryRescanMs: 60_000 };
let service: MonitorServiceHandle;

describe('socket discovery', () => {
  it('watches <dataDir>/sockets by default and offers a socket that appears there, without connecting', async () => {
    const dataDir = makeTempDir('qmp-disc-');
    // Keep the test independent of the machine's XDG_RUNTIME_DIR.
    const saved = process.env.XDG_RUNTIME_DIR;
    delete process.env.XDG_RUNTIME_DIR;
    try {
      service = (await fixture.startService({ dataDir }, discoveryOnly)).svc;
    } finally {
      if (saved !== undefined) process.env.XDG_RUNTIME_DIR = saved;
    }
    const svc = service;
    const pushed: DiscoveredSocket[][] = [];
    svc.onPush((channel, payload) => channel === 'discoveryChanged' && pushed.push(payload as DiscoveredSocket[]));
    const folder = join(dataDir, 'sockets');
    expect(await svc.handlers.getDiscoveryFolders({})).toEqual([folder]);
    expect((await fs.stat(folder)).isDirectory()).toBe(true);
    expect(await svc.handlers.listDiscovered({})).toEqual([]);

    const qemu = await fixture.qemu({ dir: folder });
    // A plain file is not offered.
    await fs.writeFile(join(folder, 'notes.txt'), 'x');
    await waitFor(() => pushed.some((list) => list.some((s) => s.path === qemu.socketPath)), 'discoveryChanged with the socket');
    const [found] = await svc.handlers.listDiscovered({});
    expect(found).toMatchObject({ path: qemu.socketPath, folder, alreadyAdded: false });
    expect(await svc.handlers.listDiscovered({})).toHaveLength(1);
    // Not connected automatically: nothing is in the VM list.
    expect(await svc.handlers.listVms({})).toEqual([]);

    await svc.handlers.addVm({ target: qemu.socketPath!, autoConnect: false });
    await waitFor(() => pushed.at(-1)?.[0]?.alreadyAdded === true, 'alreadyAdded after adding');

    await fs.rm(qemu.socketPath!);
    await waitFor(() => pushed.at(-1)?.length === 0, 'socket gone');
  });

  it('saves chosen folders in settings.json and watches them', async () => {
    const dataDir = makeTempDir('qmp-disc-');
    const other = makeTempDir('qmp-disc-other-');
    service = (await fixture.startService({ dataDir }, discoveryOnly)).svc;
    expect(await service.handlers.setDiscoveryFolders({ folders: [other, other] })).toEqual([other]);
    const settings = JSON.parse(await fs.readFile(join(dataDir, 'settings.json'), 'utf8')) as { discoveryFolders: string[] };
    expect(settings.discoveryFolders).toEqual([other]);
    const qemu = await fixture.qemu({ dir: other });
    await waitFor(async () => (await service!.handlers.listDiscovered({})).some((s) => s.path === qemu.socketPath), 'socket in chosen folder');
    await service.dispose();
    service = (await fixture.startService({ dataDir }, discoveryOnly)).svc;
    expect(await service.handlers.getDiscoveryFolders({})).toEqual([other]);
    expect((await service.handlers.listDiscovered({})).map((s) => s.path)).toEqual([qemu.socketPath]);
  });

  it('also watches $XDG_RUNTIME_DIR when it is set', async () => {
    const dataDir = makeTempDir('qmp-disc-');
    const runtime = makeTempDir('qmp-disc-runtime-');
    const saved = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = runtime;
    try {
      service = (await fixture.startService({ dataDir }, discoveryOnly)).svc;
    } finally {
      if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = saved;
    }
    expect(await service.handlers.getDiscoveryFolders({})).toEqual([join(dataDir, 'sockets'), runtime]);
    const qemu = await fixture.qemu({ dir: runtime });
    await waitFor(async () => (await service!.handlers.listDiscovered({})).some((s) => s.path === qemu.socketPath && s.folder === runtime), 'socket in XDG_RUNTIME_DIR');
  });
});
