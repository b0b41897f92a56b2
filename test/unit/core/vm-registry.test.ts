import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicJsonFile } from '../../../electron/core/vm/atomic-json-file';
import { VmRegistry, normaliseTarget } from '../../../electron/core/vm/vm-registry';
import { SettingsStore } from '../../../electron/core/vm/settings-store';
import { makeTempDir } from '../../support/qemu';

const config = (id: string, target = `unix:/tmp/${id}.sock`) => ({ id, label: id, target, autoConnect: true });

describe('VmRegistry', () => {
  it('starts empty without a file and round-trips what it saved', async () => {
    const dir = makeTempDir('qmp-reg-');
    const registry = new VmRegistry(dir);
    expect(await registry.load()).toEqual({ configs: [] });
    await registry.save([config('a'), config('b', 'tcp:127.0.0.1:4444')]);
    const again = await new VmRegistry(dir).load();
    expect(again.configs.map((c) => c.id)).toEqual(['a', 'b']);
    expect(again.notice).toBeUndefined();
  });

  it('leaves no temp files behind and the file is always complete JSON', async () => {
    const dir = makeTempDir('qmp-reg-');
    const registry = new VmRegistry(dir);
    const saves = [];
    for (let i = 0; i < 50; i += 1) saves.push(registry.save(Array.from({ length: i + 1 }, (_, k) => config(`vm${k}`))));
    await Promise.all(saves);
    expect(await fs.readdir(dir)).toEqual(['connections.json']);
    const parsed = JSON.parse(await fs.readFile(join(dir, 'connections.json'), 'utf8')) as { connections: unknown[] };
    // Serialised writes: the last save wins, never an older value written after it.
    expect(parsed.connections).toHaveLength(50);
  });

  it('moves a corrupt file aside, starts clean and says so', async () => {
    const dir = makeTempDir('qmp-reg-');
    await fs.writeFile(join(dir, 'connections.json'), '{"version":1,"connections":[{"id":');
    const loaded = await new VmRegistry(dir).load();
    expect(loaded.configs).toEqual([]);
    expect(loaded.notice).toMatch(/could not be read .*kept as .*connections\.json\.corrupt-.*started with an empty list/);
    const files = await fs.readdir(dir);
    expect(files.filter((f) => f.startsWith('connections.json.corrupt-'))).toHaveLength(1);
    expect(files).not.toContain('connections.json');
    const backup = files.find((f) => f.startsWith('connections.json.corrupt-'))!;
    expect(await fs.readFile(join(dir, backup), 'utf8')).toBe('{"version":1,"connections":[{"id":');
  });

  it('treats valid JSON of the wrong shape as corrupt too', async () => {
    const dir = makeTempDir('qmp-reg-');
    await fs.writeFile(join(dir, 'connections.json'), '{"version":1,"connections":[{"id":"x"}]}');
    const loaded = await new VmRegistry(dir).load();
    expect(loaded.configs).toEqual([]);
    expect(loaded.notice).toMatch(/kept as/);
  });

  it('starts even when the file cannot be read at all', async () => {
    const dir = makeTempDir('qmp-reg-');
    await fs.mkdir(join(dir, 'connections.json'));
    const loaded = await new VmRegistry(dir).load();
    expect(loaded.configs).toEqual([]);
    expect(loaded.notice).toMatch(/EISDIR.*kept as .*corrupt-/);
  });

  it('reads a label that only repeats the socket path as no label, so the QMP name shows', async () => {
    const dir = makeTempDir('qmp-reg-');
    await new VmRegistry(dir).save([{ ...config('a'), label: '/tmp/a.sock' }, { ...config('b'), label: 'kept' }]);
    expect((await new VmRegistry(dir).load()).configs.map((c) => c.label)).toEqual(['', 'kept']);
    await fs.rm(dir, { recursive: true });
  });

  it('normalises targets and explains bad ones', () => {
    expect(normaliseTarget('/run/vm.sock')).toBe('unix:/run/vm.sock');
    expect(normaliseTarget('localhost:4444')).toBe('tcp:localhost:4444');
    expect(() => normaliseTarget('nonsense')).toThrow(/not understood|expected/);
  });
});

describe('AtomicJsonFile', () => {
  it('reports a failed write to the caller and leaves no temp file', async () => {
    const dir = makeTempDir('qmp-reg-');
    // A non-empty directory where the file should be makes the final rename fail, even as root.
    await fs.mkdir(join(dir, 'x.json'));
    await fs.writeFile(join(dir, 'x.json', 'keep'), 'k');
    const file = new AtomicJsonFile(join(dir, 'x.json'));
    await expect(file.save({ n: 1 })).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect((await fs.readdir(dir)).sort()).toEqual(['x.json']);
    await fs.rm(join(dir, 'x.json'), { recursive: true });
    await file.save({ n: 2 });
    expect(JSON.parse(await fs.readFile(join(dir, 'x.json'), 'utf8'))).toEqual({ n: 2 });
  });
});

describe('AtomicJsonFile on write-file-atomic', () => {
  it('writes through a symlinked file instead of replacing the link, mode 0600', async () => {
    const dir = makeTempDir('qmp-reg-');
    const real = join(dir, 'real.json');
    await fs.writeFile(real, '{}');
    await fs.symlink(real, join(dir, 'x.json'));
    await new AtomicJsonFile(join(dir, 'x.json')).save({ n: 3 });
    expect((await fs.lstat(join(dir, 'x.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(real, 'utf8'))).toEqual({ n: 3 });
    expect((await fs.stat(real)).mode & 0o777).toBe(0o600);
    expect((await fs.readdir(dir)).sort()).toEqual(['real.json', 'x.json']);
    await fs.rm(dir, { recursive: true });
  });

  it('words a failed registry save for people, naming the folder', async () => {
    const dir = makeTempDir('qmp-reg-');
    await fs.mkdir(join(dir, 'connections.json'));
    await fs.writeFile(join(dir, 'connections.json', 'keep'), 'k');
    await expect(new VmRegistry(dir).save([config('a')])).rejects.toThrow(`could not save the connection list in ${dir}: a folder is in the way where a file should be`);
    await fs.rm(dir, { recursive: true });
  });
});

describe('SettingsStore', () => {
  it('persists discovery folders and recovers from a corrupt file', async () => {
    const dir = makeTempDir('qmp-set-');
    const store = new SettingsStore(dir);
    expect(await store.load()).toBeUndefined();
    await store.update({ discoveryFolders: ['/a', '/b'] });
    const again = new SettingsStore(dir);
    await again.load();
    expect(again.value.discoveryFolders).toEqual(['/a', '/b']);
    await fs.writeFile(join(dir, 'settings.json'), 'not json');
    const broken = new SettingsStore(dir);
    expect(await broken.load()).toMatch(/settings file could not be read.*kept as .*settings\.json\.corrupt-/);
    expect(broken.value.discoveryFolders).toBeUndefined();
  });
});
