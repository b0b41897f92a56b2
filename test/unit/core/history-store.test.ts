/**
 * The console history on disk: bounded, duplicates collapsed to the newest place, kept across
 * a restart of the service (what a reload or a new window reads), a damaged file set aside.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withHistoryEntry, type HistoryEntry } from '../../../electron/common/console-history';
import { HISTORY_FILE, HistoryStore } from '../../../electron/core/console/history-store';
import { createMonitorService } from '../../../electron/core/service/monitor-service';
import { makeTempDir } from '../../support/temp-dirs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = makeTempDir('qmp-history-');
  dirs.push(dir);
  return dir;
}
const entry = (text: string, at: number, vmId = 'vm1', mode: HistoryEntry['mode'] = 'qmp'): HistoryEntry => ({ vmId, mode, text, at });

describe('the history rule', () => {
  it('moves a repeated command to the newest place instead of copying it, per VM and mode', () => {
    let history: HistoryEntry[] = [];
    for (const [text, at, vm, mode] of [
      ['stop', 1, 'vm1', 'qmp'],
      ['cont', 2, 'vm1', 'qmp'],
      ['stop', 3, 'vm2', 'qmp'],
      ['stop', 4, 'vm1', 'hmp'],
      ['stop', 5, 'vm1', 'qmp'],
    ] as const) {
      history = withHistoryEntry(history, entry(text, at, vm, mode));
    }
    expect(history.map((e) => `${e.vmId}/${e.mode}/${e.text}@${e.at}`)).toEqual(['vm1/qmp/cont@2', 'vm2/qmp/stop@3', 'vm1/hmp/stop@4', 'vm1/qmp/stop@5']);
  });

  it('drops the oldest past the bound', () => {
    let history: HistoryEntry[] = [];
    for (let i = 0; i < 12; i++) history = withHistoryEntry(history, entry(`cmd${i}`, i), 10);
    expect(history.map((e) => e.text)).toEqual(Array.from({ length: 10 }, (_, i) => `cmd${i + 2}`));
  });
});

describe('HistoryStore', () => {
  it('saves atomically and reads back the same history in a new store', async () => {
    const dir = tempDir();
    const store = new HistoryStore(dir, 3);
    await store.load();
    for (const [i, text] of ['a', 'b', 'a', 'c', 'd'].entries()) await store.add(entry(text, i));
    await store.idle();
    const again = new HistoryStore(dir, 3);
    expect(await again.load()).toBeUndefined();
    expect(again.entries.map((e) => e.text)).toEqual(['a', 'c', 'd']);
    expect(JSON.parse(readFileSync(join(dir, HISTORY_FILE), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('sets a damaged file aside with a notice and starts empty', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, HISTORY_FILE), '{"version":1,"entries":[{"vmId":"vm1"');
    const store = new HistoryStore(dir);
    expect(await store.load()).toMatch(/^The console history could not be read \(.*\); it was kept as .*console-history\.json\.corrupt-.* and the history starts empty\.$/);
    expect(store.entries).toEqual([]);
    expect(readdirSync(dir).some((name) => name.startsWith(`${HISTORY_FILE}.corrupt-`))).toBe(true);
  });

  it('is served by the core: addHistory then getHistory, and again after the service restarts on the same folder', async () => {
    const dir = tempDir();
    const first = await createMonitorService({ dataDir: dir, host: 'web', version: 'test', journal: false }, { qemuBinary: null });
    try {
      await first.handlers.addHistory(entry('query-status', 1));
      const { entries } = await first.handlers.addHistory(entry('info status', 2, 'vm1', 'hmp'));
      expect(entries.map((e) => e.text)).toEqual(['query-status', 'info status']);
    } finally {
      await first.dispose();
    }
    expect(existsSync(join(dir, HISTORY_FILE))).toBe(true);
    const second = await createMonitorService({ dataDir: dir, host: 'web', version: 'test', journal: false }, { qemuBinary: null });
    try {
      expect((await second.handlers.getHistory({})).entries).toEqual([entry('query-status', 1), entry('info status', 2, 'vm1', 'hmp')]);
    } finally {
      await second.dispose();
    }
  });
});
