/**
 * How app-owned processes are tied to the app: setpriv's parent-death signal where it exists,
 * else the plain command (the crash case itself is tested in test/integration/demo-orphan.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ownedCommand } from '../../../electron/core/vm/qemu-binary';

describe('ownedCommand', () => {
  it('wraps the command in setpriv --pdeathsig TERM on Linux, keeping its arguments as they are', async () => {
    const owned = await ownedCommand('/usr/bin/qemu-system-x86_64', ['-name', 'a b']);
    expect(owned.tie).toBe('pdeathsig');
    expect(owned.file).toMatch(/\/setpriv$/);
    expect(owned.args).toEqual(['--pdeathsig', 'TERM', '--', '/usr/bin/qemu-system-x86_64', '-name', 'a b']);
  });

  it('falls back to the plain command where there is no setpriv', async () => {
    expect(await ownedCommand('qemu', ['-S'], 'darwin')).toEqual({ file: 'qemu', args: ['-S'], tie: 'none' });
  });
});
