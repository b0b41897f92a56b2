import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerOnSsLine } from '../../../../electron/core/share/peer-process';

describe('the owner named on an ss line', () => {
  it('is the one process when one holds the socket, its name unescaped', () => {
    expect(ownerOnSsLine(`ESTAB 0 0 127.0.0.1:1 127.0.0.1:2 users:(("qemu \\"a\\"",pid=${process.ppid},fd=9)) uid:1000`)).toEqual({ pid: process.ppid, processName: 'qemu "a"' });
  });

  it('passes over a child of ours that holds a copy between fork and exec, in either order', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const other = `("node",pid=${process.ppid},fd=25)`;
      const ours = `("node",pid=${child.pid!},fd=25)`;
      expect(ownerOnSsLine(`u_str ESTAB 0 0 * 1 * 2 users:(${ours},${other})`)).toEqual({ pid: process.ppid, processName: 'node' });
      expect(ownerOnSsLine(`u_str ESTAB 0 0 * 1 * 2 users:(${other},${ours})`)).toEqual({ pid: process.ppid, processName: 'node' });
      // Alone, a child of ours is still named: it may really be the peer (a client the app started).
      expect(ownerOnSsLine(`u_str ESTAB 0 0 * 1 * 2 users:(${ours})`)).toEqual({ pid: child.pid, processName: 'node' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is nobody when ss names no owner', () => {
    expect(ownerOnSsLine('ESTAB 0 0 127.0.0.1:1 127.0.0.1:2')).toEqual({});
  });
});
