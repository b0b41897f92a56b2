import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildCache } from '../../../../electron/core/schema/build-cache';
import { parseHmpHelp } from '../../../../electron/core/schema/hmp-help';
import { makeTempDir, removeTempDir } from '../../../support/temp-dirs';

const BUILD = { version: '7.2.22', package: 'Debian 1:7.2+dfsg-7+deb12u18+b3' };
const dirs: string[] = [];
const dataDir = (): string => {
  const dir = makeTempDir('qmp-schema-cache-');
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach(removeTempDir));

/** A fetch that counts its calls. */
function counted(text: string) {
  const fetch = async (): Promise<string> => {
    fetch.calls += 1;
    return text;
  };
  fetch.calls = 0;
  return fetch;
}

describe('BuildCache', () => {
  it('fetches once for concurrent and later calls, and serves a new instance from the file', async () => {
    const dir = dataDir();
    const fetch = counted('[{"name":"x","meta-type":"builtin","big":18446744073709551615}]');
    const cache = new BuildCache(dir);
    const [a, b] = await Promise.all([cache.get('qmp-schema', BUILD, fetch), cache.get('qmp-schema', BUILD, fetch)]);
    expect(await cache.get('qmp-schema', BUILD, fetch)).toBe(a);
    expect(b).toBe(a);
    expect(fetch.calls).toBe(1);
    const fresh = counted('[]');
    expect(await new BuildCache(dir).get('qmp-schema', BUILD, fresh)).toBe('[{"name":"x","meta-type":"builtin","big":18446744073709551615}]');
    expect(fresh.calls).toBe(0);
    expect(cache.pathOf('qmp-schema', BUILD)).toMatch(/schemas\/[0-9a-f]{16}\.json$/);
  });

  it('keys by version and package: another build is fetched, not served', async () => {
    const dir = dataDir();
    await new BuildCache(dir).get('qmp-schema', BUILD, counted('[1]'));
    const other = counted('[2]');
    expect(await new BuildCache(dir).get('qmp-schema', { ...BUILD, package: 'custom' }, other)).toBe('[2]');
    expect(other.calls).toBe(1);
    expect(readdirSync(`${dir}/schemas`)).toHaveLength(2);
  });

  it('ignores a corrupt or foreign file and rewrites it', async () => {
    const dir = dataDir();
    const cache = new BuildCache(dir);
    const path = cache.pathOf('qmp-schema', BUILD);
    mkdirSync(dirname(path), { recursive: true });
    for (const damaged of ['{"format":1,"kind":"qmp-schema","qemu":"7.2.22"', '[]', `{"format":1,"kind":"qmp-schema","qemu":"6.0.0","package":"${BUILD.package}","value":[9]}`]) {
      writeFileSync(path, damaged);
      const fetch = counted('[3]');
      expect(await new BuildCache(dir).get('qmp-schema', BUILD, fetch)).toBe('[3]');
      expect(fetch.calls).toBe(1);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ qemu: '7.2.22', package: BUILD.package, value: [3] });
    }
  });

  it('does not cache a failed fetch, and keeps values in memory when saving is off', async () => {
    const dir = dataDir();
    const cache = new BuildCache(dir, () => false);
    await expect(cache.get('qmp-schema', BUILD, () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    const fetch = counted('[4]');
    expect(await cache.get('qmp-schema', BUILD, fetch)).toBe('[4]');
    expect(await cache.get('qmp-schema', BUILD, fetch)).toBe('[4]');
    expect(fetch.calls).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('parseHmpHelp', () => {
  it('takes each command and alias, skipping continuation lines', () => {
    const help = [
      'announce_self [interfaces] [id] -- Trigger GARP/RARP announcements',
      'block_job_cancel [-f] device -- stop an active background block operation (use -f',
      '\t\t\t if you want to abort the operation immediately',
      'cont|c  -- resume emulation',
      'info [subcommand] -- show various information about the system state',
      'quit|q  -- quit the emulator',
      '',
    ].join('\r\n');
    expect(parseHmpHelp(help)).toEqual(['announce_self', 'block_job_cancel', 'cont', 'c', 'info', 'quit', 'q']);
    const info = 'info balloon  -- show balloon information\r\ninfo status  -- show the current VM status (running|paused)\r\n';
    expect(parseHmpHelp(info, 'info ')).toEqual(['info balloon', 'info status']);
  });
});
