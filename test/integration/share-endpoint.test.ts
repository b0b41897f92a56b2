/** Binding the shared endpoint: private modes, stale sockets replaced, live ones refused. */
import { linkSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrivateFolder, runtimeFolderPath } from '../../electron/core/share/runtime-folder';
import { SharedMonitor } from '../../electron/core/share/shared-monitor';
import { PEER_LOOKUP_WAIT_MS } from '../../electron/core/share/downstream-client';
import type { ShareClientNote } from '../../electron/core/share/share-types';
import { startFakeQmpServer } from '../support/fake-qmp-server';
import { makeTempDir, waitFor } from '../support/qemu';
import { rawClient, shareTarget } from '../support/share-support';

describe('shared endpoint binding', () => {
  it('makes the socket 0600 in a 0700 folder and removes it on close', async () => {
    const folder = ensurePrivateFolder(join(makeTempDir('qmp-share-bind-'), 'qmp-monitor'));
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const path = join(folder, 'a.sock');
    const monitor = new SharedMonitor({ unixPath: path, tcp: { host: '127.0.0.1', port: 0 } });
    await monitor.listen();
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(monitor.endpoint).toEqual({ unixPath: path, tcp: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown });
    await monitor.close();
    expect(() => lstatSync(path)).toThrow();
  });

  it('replaces a socket file nobody listens on, refuses one that is served', async () => {
    const dir = makeTempDir('qmp-share-stale-');
    const live = join(dir, 'live.sock');
    const stale = join(dir, 'stale.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(live, resolve));
    linkSync(live, stale); // a second name for the socket, left behind once the server closes
    const refused = new SharedMonitor({ unixPath: live });
    await expect(refused.listen()).rejects.toThrow(/already served by a live process/);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const replacing = new SharedMonitor({ unixPath: stale });
    await replacing.listen();
    await replacing.close();
  });

  it('refuses a runtime folder that is a symlink, and lives under XDG_RUNTIME_DIR when set', () => {
    const dir = makeTempDir('qmp-share-link-');
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(() => ensurePrivateFolder(join(dir, 'link'))).toThrow(/not a folder/);
    expect(runtimeFolderPath({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/qmp-monitor');
    expect(runtimeFolderPath({})).toMatch(/qmp-monitor-\d+$/);
    // QMP_MONITOR_RUNTIME_DIR names the folder itself and wins over XDG_RUNTIME_DIR (tests use it).
    expect(runtimeFolderPath({ QMP_MONITOR_RUNTIME_DIR: '/tmp/mine', XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/tmp/mine');
    expect(runtimeFolderPath({ QMP_MONITOR_RUNTIME_DIR: '', XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/qmp-monitor');
  });

  it('names the peer process of unix and TCP clients (from the kernel, via ss)', async () => {
    const path = join(makeTempDir('qmp-share-peer-'), 'p.sock');
    const monitor = new SharedMonitor({ unixPath: path, tcp: { host: '127.0.0.1', port: 0 } });
    await monitor.listen();
    const port = Number(monitor.endpoint.tcp!.split(':')[1]);
    const sockets = [connect(path), connect(port, '127.0.0.1')];
    try {
      await waitFor(() => monitor.clients().length === 2 && monitor.clients().every((c) => c.pid !== undefined), 'both peers named', 20_000);
      for (const client of monitor.clients()) expect(client).toMatchObject({ pid: process.pid, commands: 0 });
      expect(monitor.clients().map((c) => c.peer)).toEqual(['unix', expect.stringMatching(/^tcp 127\.0\.0\.1:\d+$/) as unknown]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await monitor.close();
    }
  });

  it('greets a Unix client after a bounded wait when the peer lookup hangs, and names it once the lookup ends', { timeout: 30_000 }, async () => {
    // An `ss` that never answers (killed by the lookup's own 5 s timeout): what no real one does on cue.
    const bin = makeTempDir('qmp-share-ss-');
    writeFileSync(join(bin, 'ss'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const savedPath = process.env['PATH'];
    process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
    const fake = await startFakeQmpServer();
    const setup = await shareTarget(fake.target, join(bin, 'e.sock'));
    const notes: ShareClientNote[] = [];
    setup.monitor.onClient((note) => notes.push(note));
    try {
      const started = performance.now();
      const client = await rawClient(`unix:${join(bin, 'e.sock')}`);
      await client.waitForCount(1, 'the greeting', PEER_LOOKUP_WAIT_MS + 3000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(PEER_LOOKUP_WAIT_MS - 20);
      expect(client.messages[0]).toHaveProperty('QMP');
      expect(notes).toEqual([]); // the lookup still runs; the connect note waits for it
      await waitFor(() => notes.length === 1, 'the connect note once the lookup gave up', 20_000);
      expect(notes[0]).toMatchObject({ change: 'connected', client: { peer: 'unix' } });
      expect(notes[0]!.client).not.toHaveProperty('pid');
      client.close();
    } finally {
      process.env['PATH'] = savedPath;
      await setup.stop();
      await fake.close();
    }
  });

  it('refuses TCP beyond loopback', () => {
    expect(() => new SharedMonitor({ tcp: { host: '0.0.0.0' as '127.0.0.1', port: 0 } })).toThrow(/127\.0\.0\.1 only/);
  });
});
