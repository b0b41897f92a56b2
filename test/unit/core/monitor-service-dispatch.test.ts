import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushName } from '../../../electron/common/contract';
import { dispatchRequest } from '../../../electron/common/dispatch';
import { createMonitorService, type MonitorServiceHandle } from '../../../electron/core/service/monitor-service';
import { makeTempDir, waitFor } from '../../support/qemu';
import { API_VERSION } from '../../../electron/common/channel-names';

const services: MonitorServiceHandle[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
});

async function start(dataDir = makeTempDir('qmp-svc-'), qemuBinary: string | null = null) {
  const service = await createMonitorService({ dataDir, host: 'web', version: '9.9.9' }, { qemuBinary, discoveryRescanMs: 60_000 });
  services.push(service);
  const pushes: { channel: PushName; payload: unknown }[] = [];
  service.onPush((channel, payload) => pushes.push({ channel, payload }));
  const call = (method: string, params: unknown) => dispatchRequest(service.handlers, method, params);
  return { service, pushes, call, dataDir };
}

describe('MonitorService through dispatchRequest (no QEMU needed)', () => {
  it('refuses unknown methods and bad params before any handler runs', async () => {
    const { call } = await start();
    expect(await call('nope', {})).toEqual({ ok: false, error: 'unknown request "nope"' });
    expect(await call('__proto__', {})).toMatchObject({ ok: false, error: expect.stringMatching(/unknown request/) });
    expect(await call('addVm', { target: '' })).toMatchObject({ ok: false, error: expect.stringMatching(/invalid addVm request at target/) });
    expect(await call('addVm', { target: '/x.sock', extra: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/invalid addVm/) });
    expect(await call('executeCommand', { vmId: 'x', command: 'bad name!' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a QMP command name/) });
    expect(await call('getEvents', { afterSeq: -2 })).toMatchObject({ ok: false });
    expect(await call('setDiscoveryFolders', { folders: ['relative'] })).toMatchObject({ ok: false });
    expect(await call('listVms', {})).toEqual({ ok: true, result: [] });
  });

  it('explains a bad target and an unknown VM', async () => {
    const { call } = await start();
    expect(await call('addVm', { target: 'no-port-here' })).toMatchObject({ ok: false, error: expect.stringMatching(/no-port-here/) });
    expect(await call('connectVm', { id: 'missing' })).toEqual({ ok: false, error: "no VM with id 'missing'" });
  });

  it('saves user VMs, refuses duplicates, and restores them after a restart', async () => {
    const dataDir = makeTempDir('qmp-svc-');
    const first = await start(dataDir);
    const added = await first.call('addVm', { target: '/tmp/nowhere-qmp.sock', label: 'Lab', autoConnect: false });
    expect(added).toMatchObject({ ok: true, result: { config: { label: 'Lab', target: 'unix:/tmp/nowhere-qmp.sock', autoConnect: false }, origin: 'user', connection: { phase: 'idle' } } });
    expect(await first.call('addVm', { target: 'unix:/tmp/nowhere-qmp.sock' })).toMatchObject({ ok: false, error: expect.stringMatching(/already added as 'Lab'/) });
    const id = (added as { result: { config: { id: string } } }).result.config.id;
    expect(await first.call('updateVm', { id, label: 'Lab 2' })).toMatchObject({ ok: true, result: { config: { label: 'Lab 2' } } });
    await waitFor(() => first.pushes.some((p) => p.channel === 'vmChanged' && (p.payload as { config: { label: string } }).config.label === 'Lab 2'), 'vmChanged push');
    await first.service.dispose();

    const second = await start(dataDir);
    const list = await second.call('listVms', {});
    expect(list).toMatchObject({ ok: true, result: [{ config: { id, label: 'Lab 2' }, origin: 'user' }] });
    expect(await second.call('removeVm', { id })).toEqual({ ok: true, result: { removed: true } });
    expect(await second.call('removeVm', { id })).toEqual({ ok: true, result: { removed: false } });
    await waitFor(() => second.pushes.some((p) => p.channel === 'vmRemoved'), 'vmRemoved push');
    const saved = JSON.parse(await fs.readFile(join(dataDir, 'connections.json'), 'utf8')) as { connections: unknown[] };
    expect(saved.connections).toEqual([]);
  });

  it('a connection that cannot be made shows reconnecting with a reason and a retry time', async () => {
    const { call } = await start();
    const added = await call('addVm', { target: '/tmp/definitely-missing-qmp.sock' });
    const id = (added as { result: { config: { id: string } } }).result.config.id;
    let snapshot: { connection: { phase: string; reason?: string; nextRetryAt?: number } } | undefined;
    await waitFor(async () => {
      const res = await call('listVms', {});
      snapshot = (res as { result: typeof snapshot[] }).result[0];
      return snapshot?.connection.phase === 'reconnecting';
    }, 'reconnecting');
    expect(snapshot!.connection.reason).toMatch(/ENOENT|no such file|not found/i);
    expect(snapshot!.connection.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    const outcome = await call('executeCommand', { vmId: id, command: 'query-status' });
    expect(outcome).toMatchObject({ ok: true, result: { ok: false, errorClass: 'connection', desc: expect.stringMatching(/not connected/) } });
    expect(await call('disconnectVm', { id })).toMatchObject({ ok: true, result: { connection: { phase: 'stopped' } } });
  });

  it('answers bad command arguments with an error outcome, not a throw', async () => {
    const { call } = await start();
    const added = await call('addVm', { target: '/tmp/x-qmp.sock', autoConnect: false });
    const id = (added as { result: { config: { id: string } } }).result.config.id;
    expect(await call('executeCommand', { vmId: id, command: 'stop', argumentsJson: '[1,2]' })).toMatchObject({
      ok: true,
      result: { ok: false, errorClass: 'invalid-arguments', desc: expect.stringMatching(/JSON object/) },
    });
  });

  it('reports a corrupt connections file in getAppInfo and starts clean', async () => {
    const dataDir = makeTempDir('qmp-svc-');
    await fs.writeFile(join(dataDir, 'connections.json'), '{broken');
    const { call } = await start(dataDir);
    const info = await call('getAppInfo', {});
    expect(info).toMatchObject({ ok: true, result: { version: '9.9.9', apiVersion: API_VERSION, dataDir, host: 'web', qemuBinary: null } });
    expect((info as { result: { notices: string[] } }).result.notices[0]).toMatch(/connections file could not be read.*corrupt-/);
    expect(await call('listVms', {})).toEqual({ ok: true, result: [] });
  });

  it('says how to install QEMU when the demo cannot start', async () => {
    const { call } = await start();
    expect(await call('startDemo', {})).toMatchObject({ ok: true, result: { status: 'unavailable', installHint: expect.stringMatching(/apt-get install qemu-system-x86|brew install qemu/) } });
    expect(await call('getDemo', {})).toMatchObject({ ok: true, result: { status: 'unavailable' } });
  });

  it('does not keep a VM it could not save, and says why', async () => {
    const dataDir = makeTempDir('qmp-svc-');
    const { call } = await start(dataDir);
    // A non-empty folder where connections.json belongs makes every save fail, even as root.
    await fs.mkdir(join(dataDir, 'connections.json'));
    await fs.writeFile(join(dataDir, 'connections.json', 'x'), 'x');
    const res = await call('addVm', { target: '/tmp/unsaved-qmp.sock', autoConnect: false });
    expect(res).toEqual({ ok: false, error: `could not save the connection list in ${dataDir}: a folder is in the way where a file should be` });
    expect(await call('listVms', {})).toEqual({ ok: true, result: [] });
  });

  it('reports a QEMU binary that cannot be run instead of hanging', async () => {
    const { call } = await start(makeTempDir('qmp-svc-'), '/nonexistent/qemu-system-x86_64');
    expect(await call('startDemo', {})).toMatchObject({ ok: true, result: { status: 'exited', reason: expect.stringMatching(/ENOENT/) } });
  });
});
