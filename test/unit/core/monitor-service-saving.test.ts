/**
 * Saving and the data folder: a failed save changes nothing that is shown, errors are worded
 * for people, a read-only or unusable folder is handled at start-up, and one folder has one
 * running service.
 */
import { existsSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushName } from '../../../electron/common/contract';
import { createMonitorService, type MonitorServiceHandle } from '../../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../../support/qemu';
import { UNWRITABLE_REASON, makeUnwritable, makeWritable } from '../../support/unwritable-dir';

const services: MonitorServiceHandle[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
  for (const dir of dirs.splice(0)) {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function tempDir(): string {
  const dir = makeTempDir('qmp-save-');
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string) {
  const service = await createMonitorService({ dataDir, host: 'web', version: 't' }, { qemuBinary: null, discoveryRescanMs: 60_000 });
  services.push(service);
  const pushes: { channel: PushName; payload: unknown }[] = [];
  service.onPush((channel, payload) => pushes.push({ channel, payload }));
  return { service, h: service.handlers, pushes };
}

const savedFile = async (dir: string) => JSON.parse(await fs.readFile(join(dir, 'connections.json'), 'utf8')) as { connections: { label: string }[] };

describe('a save that fails changes nothing that is shown', () => {
  it('keeps the old label, target and the VM itself when the folder turns read-only, and says why in words', async () => {
    const dir = tempDir();
    const { h, pushes } = await start(dir);
    const { config } = await h.addVm({ target: '/tmp/qmp-save-a.sock', label: 'Lab', autoConnect: false });
    makeUnwritable(dir);

    const update = h.updateVm({ id: config.id, label: 'Renamed', target: '/tmp/qmp-save-b.sock' });
    await expect(update).rejects.toThrow(new RegExp(`^could not save the connection list in ${dir}: ${UNWRITABLE_REASON.source}`));
    await expect(update).rejects.not.toThrow(/EACCES|EPERM|tmp-|connections\.json\./);
    await expect(h.removeVm({ id: config.id })).rejects.toThrow(/^could not save the connection list in /);
    await expect(h.addVm({ target: '/tmp/qmp-save-c.sock', autoConnect: false })).rejects.toThrow(/^could not save/);

    expect((await h.listVms({})).map((v) => v.config)).toEqual([config]);
    expect(pushes.some((p) => p.channel === 'vmRemoved')).toBe(false);
    expect((await savedFile(dir)).connections).toEqual([config]);

    // Writable again: the same edits go through.
    makeWritable(dir);
    await h.updateVm({ id: config.id, label: 'Renamed' });
    expect((await savedFile(dir)).connections[0]?.label).toBe('Renamed');
    expect(await h.removeVm({ id: config.id })).toEqual({ removed: true });
  });

  it('keeps the watched folders when the settings cannot be saved', async () => {
    const dir = tempDir();
    const { h } = await start(dir);
    const before = await h.getDiscoveryFolders({});
    makeUnwritable(dir);
    await expect(h.setDiscoveryFolders({ folders: ['/nowhere-a'] })).rejects.toThrow(new RegExp(`^could not save the settings in ${dir}: `));
    expect(await h.getDiscoveryFolders({})).toEqual(before);
  });
});

describe('start-up with a data folder that cannot be used as is', () => {
  it('starts on a read-only folder with saving disabled, watching fewer folders, and says why', async () => {
    const dir = tempDir();
    makeUnwritable(dir);
    const { h } = await start(dir);
    const { notices } = await h.getAppInfo({});
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Saving is disabled: the data folder ${dir} cannot be written \\(${UNWRITABLE_REASON.source}`)),
        expect.stringMatching(new RegExp(`^${dir}/sockets is not watched for QMP sockets: it could not be created`)),
      ]),
    );
    expect(notices.join('\n')).not.toMatch(/EACCES|EPERM|EROFS/);
    expect(await h.getDiscoveryFolders({})).not.toContain(join(dir, 'sockets'));
    // Edits work for this run instead of failing one by one.
    const added = await h.addVm({ target: '/tmp/qmp-ro.sock', autoConnect: false });
    expect(added.config.target).toBe('unix:/tmp/qmp-ro.sock');
    await h.setDiscoveryFolders({ folders: ['/nowhere-b'] });
    expect(await h.getDiscoveryFolders({})).toEqual(['/nowhere-b']);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('refuses a data folder that is a file with one sentence, not an errno', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(start(file)).rejects.toThrow(new RegExp(`^the data folder ${file} is a file, not a folder; pick another with --data-dir$`));
    await expect(start(join(file, 'below'))).rejects.toThrow(/^the data folder .* cannot be used: a file is in the way where a folder should be; pick another/);
  });
});

describe('one service per data folder', () => {
  it('refuses a second service on a folder in use, naming the holder, and frees it on dispose', async () => {
    const dir = tempDir();
    const first = await start(dir);
    expect((await fs.readFile(join(dir, 'lock'), 'utf8')).trim()).toBe(String(process.pid));
    await expect(start(dir)).rejects.toThrow(new RegExp(`^the data folder ${dir} is in use by another QMP Monitor \\(pid ${process.pid}, `));
    await first.service.dispose();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    await start(dir);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = tempDir();
    // PID 2^22+1 is above Linux's largest pid_max, so no process can have it.
    writeFileSync(join(dir, 'lock'), `${2 ** 22 + 1}\n`);
    await start(dir);
    expect((await fs.readFile(join(dir, 'lock'), 'utf8')).trim()).toBe(String(process.pid));
  });
});

describe('labels', () => {
  it('keeps a missing label empty, so the QMP name (else the target) is shown', async () => {
    const dir = tempDir();
    const { h } = await start(dir);
    const { config } = await h.addVm({ target: '/tmp/qmp-nolabel.sock', autoConnect: false });
    expect(config.label).toBe('');
    const renamed = await h.updateVm({ id: config.id, label: 'Named' });
    expect(renamed.config.label).toBe('Named');
    const cleared = await h.updateVm({ id: config.id, label: '  ' });
    expect(cleared.config.label).toBe('');
    await waitFor(async () => (await savedFile(dir)).connections[0]?.label === '', 'the empty label saved');
  });
});
