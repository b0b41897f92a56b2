/**
 * share-control with a real SharedMonitor and a real VmSession (aimed at a socket nobody
 * serves, so it stays supervised and never ready): where endpoints live, that they open with
 * the session and close with it, that "off" closes and is kept, that an endpoint that cannot
 * listen says why, and the marker a shared client's command becomes.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VmConfig, VmSnapshot } from '../../../electron/common/models';
import { ShareControl } from '../../../electron/core/service/share-control';
import { sharedCommandMarker } from '../../../electron/core/service/shared-command-marker';
import { defaultShareSocketPath } from '../../../electron/core/share/held-targets';
import { SharedMonitor } from '../../../electron/core/share/shared-monitor';
import type { AppMarker } from '../../../electron/core/vm/app-marker';
import { VmSession } from '../../../electron/core/vm/vm-session';
import { makeTempDir, waitFor } from '../../support/qemu';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(config: Partial<VmConfig> = {}) {
  const dir = makeTempDir('qmp-share-unit-');
  const folder = join(dir, 'runtime');
  const markers: AppMarker[] = [];
  const control = new ShareControl({ folder, createEndpoint: (options) => new SharedMonitor(options), onMarker: (_id, marker) => markers.push(marker) });
  let latest: VmSnapshot | undefined;
  const target = `unix:${join(dir, 'nobody.sock')}`;
  const session = new VmSession({
    config: { id: 'vm1', label: '', target, autoConnect: true, ...config },
    origin: 'user',
    supervisor: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    onChange: (snapshot) => (latest = snapshot),
    onEvent: () => undefined,
  });
  control.bind(session);
  cleanups.push(async () => {
    await session.dispose();
    await control.dispose();
  });
  return { dir, folder, control, session, markers, share: () => latest?.share ?? session.snapshot.share, path: defaultShareSocketPath(target, folder) };
}

describe('a VM\u2019s shared endpoint follows its session', () => {
  it('is on by default: waiting until supervised, listening while connecting, closed on disconnect', async () => {
    const { session, share, path, folder } = setup();
    expect(share()).toEqual({ enabled: true, status: 'waiting', clients: [] });
    session.connect();
    await waitFor(() => share()?.status === 'listening', 'the endpoint to listen');
    expect(share()!.endpoint).toEqual({ unixPath: path });
    // The runtime folder's name for the target, in a folder only we may enter, at mode 0600.
    expect(path.startsWith(`${folder}/`)).toBe(true);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // A client may connect while QEMU is away; it is listed (and greeted once QEMU is there).
    const socket = connect(path);
    socket.on('error', () => undefined);
    await waitFor(() => share()?.clients.length === 1, 'the waiting client to be listed');
    await session.disconnect();
    await waitFor(() => share()?.status === 'waiting' && !existsSync(path), 'the endpoint to close');
    await waitFor(() => socket.destroyed || socket.readyState === 'closed', 'the client to be disconnected');
    socket.destroy();
  });

  it('stays closed for a VM saved with sharing off, and opens when it is turned on', async () => {
    const { session, control, share, path } = setup({ share: false });
    session.connect();
    expect(share()).toEqual({ enabled: false, status: 'off', clients: [] });
    await control.setEnabled('vm1', true);
    expect(share()).toMatchObject({ enabled: true, status: 'listening', endpoint: { unixPath: path } });
    await control.setEnabled('vm1', false);
    expect(share()).toEqual({ enabled: false, status: 'off', clients: [] });
    expect(existsSync(path)).toBe(false);
  });

  it('says why an endpoint cannot listen, until sharing is turned off', async () => {
    const { session, control, share, path, folder } = setup();
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, 'not a socket');
    session.connect();
    await waitFor(() => share()?.status === 'failed', 'the failure');
    expect(share()!.error).toBe(`could not share the monitor at ${path}: ${path} exists and is not a socket; not replacing it`);
    expect(share()!.endpoint).toBeUndefined();

    await control.setEnabled('vm1', false);
    expect(share()).toEqual({ enabled: false, status: 'off', clients: [] });
  });

  it('closes the endpoint for good when the VM is released', async () => {
    const { session, control, share, path } = setup();
    session.connect();
    await waitFor(() => share()?.status === 'listening', 'the endpoint to listen');
    await session.dispose();
    await control.release('vm1', 'the VM was removed');
    expect(existsSync(path)).toBe(false);
  });
});

describe('the marker of a shared client\u2019s command', () => {
  const client = { id: 'c1', peer: 'unix', pid: 4242, processName: 'qmp-shell', connectedAt: 1, commands: 1 };

  it('names the client and the outcome, and carries no arguments', () => {
    expect(sharedCommandMarker({ client, command: 'device_del', ok: true, durationMs: 1.23456, at: 5 })).toEqual({
      marker: 'command',
      event: 'device_del',
      data: { command: 'device_del', outcome: 'ok', durationMs: 1.235, origin: 'shared', client: { id: 'c1', peer: 'unix', pid: 4242, processName: 'qmp-shell' } },
    });
  });

  it('keeps the error class, and leaves out what the OS did not tell', () => {
    const anonymous = { id: 'c2', peer: 'tcp 127.0.0.1:5555', connectedAt: 1, commands: 1 };
    expect(sharedCommandMarker({ client: anonymous, command: 'stop', ok: false, errorClass: 'Disconnected', durationMs: 2, at: 5 }).data).toEqual({
      command: 'stop',
      outcome: 'error',
      errorClass: 'Disconnected',
      durationMs: 2,
      origin: 'shared',
      client: { id: 'c2', peer: 'tcp 127.0.0.1:5555' },
    });
  });
});

describe('an endpoint path too long for a Unix socket', () => {
  it('is refused with the reason and the way out, before anything is bound', async () => {
    const dir = makeTempDir('qmp-share-long-');
    const folder = join(dir, 'x'.repeat(100));
    const control = new ShareControl({ folder, createEndpoint: (options) => new SharedMonitor(options), onMarker: () => undefined });
    const session = new VmSession({
      config: { id: 'vm1', label: '', target: `unix:${join(dir, 'nobody.sock')}`, autoConnect: true },
      origin: 'user',
      supervisor: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 },
      onChange: () => undefined,
      onEvent: () => undefined,
    });
    control.bind(session);
    cleanups.push(async () => {
      await session.dispose();
      await control.dispose();
    });
    session.connect();
    await waitFor(() => session.snapshot.share?.status === 'failed', 'the failure');
    const path = defaultShareSocketPath(`unix:${join(dir, 'nobody.sock')}`, folder);
    expect(session.snapshot.share!.error).toBe(
      `could not share the monitor at ${path}: the path is ${Buffer.byteLength(path)} bytes and a Unix socket's may be 107; set XDG_RUNTIME_DIR or use a shorter data folder`,
    );
    expect(existsSync(folder)).toBe(false);
  });
});
