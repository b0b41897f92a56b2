/**
 * The event journal through the real core: the timeline survives a restart of the core (real
 * QEMU events and markers, seqs continuing), rotation under the bound, a torn or corrupt
 * journal (the core starts, says so, keeps every whole line), journal off, read-only folder.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent, VmSnapshot } from '../../electron/common/models';
import { createMonitorService, type MonitorServiceHandle } from '../../electron/core/service/monitor-service';
import type { MonitorServiceOptions } from '../../electron/core/service/service-types';
import { journalFileName } from '../../electron/core/journal/journal-files';
import { readJournalLine } from '../../electron/core/journal/line-text';
import { killAllQemu, makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';
import { makeUnwritable, makeWritable, UNWRITABLE_REASON } from '../support/unwritable-dir';

const services: MonitorServiceHandle[] = [];
const qemus: TestQemu[] = [];
const lockedDirs: string[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
  await Promise.all(qemus.splice(0).map((q) => q.kill()));
  lockedDirs.splice(0).forEach(makeWritable);
});
afterAll(killAllQemu);

async function start(dataDir: string, extra: Partial<MonitorServiceOptions> = {}, journalFileBytes?: number) {
  const svc = await createMonitorService(
    { dataDir, host: 'web', version: 'test', ...extra },
    { qemuBinary: null, supervisor: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 }, discoveryRescanMs: 60_000, ...(journalFileBytes ? { journalFileBytes } : {}) },
  );
  services.push(svc);
  const latest = new Map<string, VmSnapshot>();
  svc.onPush((channel, payload) => {
    if (channel === 'vmChanged') latest.set((payload as VmSnapshot).config.id, payload as VmSnapshot);
  });
  return { svc, latest };
}

async function stop(svc: MonitorServiceHandle): Promise<void> {
  services.splice(services.indexOf(svc), 1);
  await svc.dispose();
}

const all = async (svc: MonitorServiceHandle) => (await svc.handlers.getEvents({ afterSeq: -1, limit: 100_000 })).events;
const line = (e: TimelineEvent) => `${JSON.stringify(e)}\n`;
const fake = (seq: number): TimelineEvent => ({ seq, vmId: 'old-vm', event: 'RESET', timestamp: { seconds: 1_700_000_000, microseconds: seq }, receivedAt: 1_700_000_000_000 + seq, dataJson: '{"guest":false}' });

describe('the event journal through the core', () => {
  it('shows the events and markers of the last run after a restart, and new seqs continue after them', async () => {
    const qemu = await startQemu({ machine: 'pc' });
    qemus.push(qemu);
    const dataDir = makeTempDir('qmp-journal-svc-');
    const first = await start(dataDir);
    const { config } = await first.svc.handlers.addVm({ target: qemu.target, autoConnect: true });
    await waitFor(() => first.latest.get(config.id)?.runState?.status === 'prelaunch', 'prelaunch');
    await first.svc.handlers.executeCommand({ vmId: config.id, command: 'cont' });
    await first.svc.handlers.executeCommand({ vmId: config.id, command: 'stop' });
    await first.svc.handlers.executeCommand({ vmId: config.id, command: 'system_reset' });
    await waitFor(async () => (await all(first.svc)).some((e) => e.event === 'RESET'), 'RESET logged');
    const before = await all(first.svc);
    await stop(first.svc);
    // Quitting closed the connection: that is the last word of the run, journaled too.
    const text = readFileSync(join(dataDir, 'journal', journalFileName(1)), 'utf8');
    const onDisk = text.trimEnd().split('\n').map((l) => readJournalLine(l)!);
    expect(onDisk).not.toContain(undefined);
    expect(onDisk.slice(0, before.length)).toEqual(before);
    expect(onDisk.at(-1)).toMatchObject({ marker: 'disconnected', dataJson: '{"reason":"the app quit"}' });

    // The VM was saved, so the second run connects it again by itself.
    const second = await start(dataDir);
    const lastOld = onDisk.at(-1)!.seq;
    const loaded = await all(second.svc);
    expect(loaded.slice(0, onDisk.length)).toEqual(onDisk);
    expect(onDisk.filter((e) => e.marker === undefined).map((e) => e.event)).toEqual(['RESUME', 'STOP', 'RESET']);
    expect((await second.svc.handlers.getAppInfo({})).notices).toEqual([]);
    // A renderer that held the old events catches up by seq: new entries come after them.
    await waitFor(() => second.latest.get(config.id)?.connection.phase === 'ready', 'ready in the second run');
    const fresh = (await second.svc.handlers.getEvents({ afterSeq: lastOld, limit: 100 })).events;
    expect(fresh[0]).toMatchObject({ seq: lastOld + 1, marker: 'connected', vmId: config.id });
  });

  it('rolls over files and keeps the journal under its bound, oldest files first', async () => {
    const dataDir = makeTempDir('qmp-journal-svc-');
    mkdirSync(join(dataDir, 'journal'));
    // A last run's journal of 2,000 events, ~300 KB, in one file.
    writeFileSync(join(dataDir, 'journal', journalFileName(1)), Array.from({ length: 2_000 }, (_, i) => line(fake(i))).join(''));
    const { svc } = await start(dataDir, { journalMaxBytes: 64 * 1024 }, 8 * 1024);
    // Over the new bound: the old file goes (its events stay in memory for this run).
    expect(existsSync(join(dataDir, 'journal', journalFileName(1)))).toBe(false);
    expect((await all(svc)).length).toBe(2_000);
    const { config } = await svc.handlers.addVm({ target: 'unix:/nonexistent/qmp.sock', autoConnect: false });
    for (let i = 0; i < 800; i += 1) await svc.handlers.executeCommand({ vmId: config.id, command: 'query-status' });
    await stop(svc);
    const files = readdirSync(join(dataDir, 'journal')).sort();
    expect(files.length).toBeGreaterThan(2);
    const sizes = files.map((f) => readFileSync(join(dataDir, 'journal', f)).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(64 * 1024);
    const next = await start(dataDir);
    const kept = await all(next.svc);
    // The newest command markers, whole and in order, ending with the last one.
    expect(kept.at(-1)).toMatchObject({ seq: 2_799, marker: 'command', event: 'query-status' });
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: kept.length }, (_, i) => 2_800 - kept.length + i));
  });

  it('starts from a torn and corrupt journal with a notice, keeping every whole line', async () => {
    const dataDir = makeTempDir('qmp-journal-svc-');
    mkdirSync(join(dataDir, 'journal'));
    writeFileSync(join(dataDir, 'journal', journalFileName(1)), `${line(fake(0))}not json at all\n${line(fake(1))}`);
    writeFileSync(join(dataDir, 'journal', journalFileName(2)), `${line(fake(2))}${line(fake(3)).slice(0, 25)}`);
    const { svc } = await start(dataDir);
    expect((await all(svc)).map((e) => e.seq)).toEqual([0, 1, 2]);
    const notices = (await svc.handlers.getAppInfo({})).notices.join('\n');
    expect(notices).toMatch(/torn line/);
    expect(notices).toMatch(/1 unreadable line; it was skipped/);
    // Writing goes on in a fresh file, so the torn line cannot swallow the next one.
    const { config } = await svc.handlers.addVm({ target: 'unix:/nonexistent/qmp.sock', autoConnect: false });
    await svc.handlers.executeCommand({ vmId: config.id, command: 'stop' });
    await stop(svc);
    expect(readdirSync(join(dataDir, 'journal')).sort()).toEqual([1, 2, 3].map(journalFileName));
    const next = await start(dataDir);
    expect((await all(next.svc)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });

  it('--no-journal neither reads nor writes the journal', async () => {
    const dataDir = makeTempDir('qmp-journal-svc-');
    mkdirSync(join(dataDir, 'journal'));
    writeFileSync(join(dataDir, 'journal', journalFileName(1)), line(fake(0)));
    const { svc } = await start(dataDir, { journal: false });
    expect(await all(svc)).toEqual([]);
    const { config } = await svc.handlers.addVm({ target: 'unix:/nonexistent/qmp.sock', autoConnect: false });
    await svc.handlers.executeCommand({ vmId: config.id, command: 'stop' });
    expect((await all(svc))[0]).toMatchObject({ seq: 0, marker: 'command' });
    await stop(svc);
    expect(readdirSync(join(dataDir, 'journal'))).toEqual([journalFileName(1)]);
    expect(readFileSync(join(dataDir, 'journal', journalFileName(1)), 'utf8')).toBe(line(fake(0)));
  });

  it('a read-only data folder shows the old journal and turns the journal off with the reason', async () => {
    const dataDir = makeTempDir('qmp-journal-svc-');
    mkdirSync(join(dataDir, 'journal'));
    writeFileSync(join(dataDir, 'journal', journalFileName(1)), line(fake(0)) + line(fake(1)));
    makeUnwritable(dataDir);
    lockedDirs.push(dataDir);
    const { svc } = await start(dataDir);
    expect((await all(svc)).map((e) => e.seq)).toEqual([0, 1]);
    const notices = (await svc.handlers.getAppInfo({})).notices;
    const journalNotice = notices.find((n) => n.startsWith('The event journal is off'));
    expect(journalNotice).toMatch(/data folder cannot be written/);
    expect(journalNotice).toMatch(UNWRITABLE_REASON);
    const { config } = await svc.handlers.addVm({ target: 'unix:/nonexistent/qmp.sock', autoConnect: false });
    await svc.handlers.executeCommand({ vmId: config.id, command: 'stop' });
    expect((await all(svc)).at(-1)).toMatchObject({ seq: 2, marker: 'command' });
    await stop(svc);
    expect(readdirSync(join(dataDir, 'journal'))).toEqual([journalFileName(1)]);
  });
});
