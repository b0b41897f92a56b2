/**
 * The event journal on its own: batched appends, rotation and the bound on disk, torn and
 * corrupt lines on load, a disk that fails, a disk that falls behind.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promises as fs } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventJournal } from '../../../electron/core/journal/event-journal';
import { journalFileName, listJournalFiles } from '../../../electron/core/journal/journal-files';
import { loadJournal } from '../../../electron/core/journal/journal-reader';
import { waitFor } from '../../support/qemu';
import { makeTempDir, removeTempDir } from '../../support/temp-dirs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeTempDir));
function journalDir(): string {
  const dir = makeTempDir('qmp-journal-');
  dirs.push(dir);
  return join(dir, 'journal');
}

const event = (seq: number, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  seq,
  vmId: 'vm-1',
  event: 'STOP',
  timestamp: { seconds: 1_700_000_000 + seq, microseconds: 5 },
  receivedAt: 1_700_000_000_000 + seq,
  dataJson: '{"big":18446744073709551615}',
  ...extra,
});

async function open(dir: string, options: Partial<ConstructorParameters<typeof EventJournal>[0]> = {}) {
  const notices: string[] = [];
  const files = await listJournalFiles(dir);
  const loaded = await loadJournal(files, 1_000_000);
  const journal = new EventJournal({ dir, maxBytes: 200 * 1024 * 1024, files, endsClean: loaded.endsClean, onNotice: (t) => notices.push(t), ...options });
  return { journal, notices, loaded };
}

describe('EventJournal', () => {
  it('writes nothing on the event path, then one JSON line per event, read back the same', async () => {
    const dir = journalDir();
    const { journal } = await open(dir, { windowMs: 10 });
    const noData: TimelineEvent = { seq: 2, vmId: 'vm-2', event: 'RESUME', timestamp: { seconds: 1, microseconds: 2 }, receivedAt: 3 };
    const events = [event(0), event(1, { marker: 'command', event: 'stop' }), noData];
    for (const e of events) journal.add(e);
    expect(existsSync(dir)).toBe(false); // queued, not written
    await journal.flush();
    const text = readFileSync(join(dir, journalFileName(1)), 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
    const loaded = await loadJournal(await listJournalFiles(dir), 100);
    expect(loaded).toEqual({ events, skipped: 0, notices: [], endsClean: true });
    expect(loaded.events[0]!.dataJson).toBe('{"big":18446744073709551615}');
    expect(journal.counts).toEqual({ written: 3, lost: 0 });
    await journal.close();
  });

  it('batches a burst into one write per window', async () => {
    const dir = journalDir();
    const { journal } = await open(dir, { windowMs: 20 });
    // Count the writes the journal's file handle makes (FileHandle's class is not exported).
    const probe = await fs.open(join(dir, '..', 'probe'), 'w');
    const write = vi.spyOn(Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown }, 'write');
    await probe.close();
    try {
      for (let i = 0; i < 10_000; i += 1) journal.add(event(i));
      const file = join(dir, journalFileName(1));
      await waitFor(() => journal.counts.written === 10_000, 'the burst on disk');
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(10_001);
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
      await journal.close();
    }
  });

  it('rolls over to new files and drops the oldest ones past the bound', async () => {
    const dir = journalDir();
    const { journal } = await open(dir, { maxBytes: 20_000, fileBytes: 2_000 });
    for (let i = 0; i < 600; i += 1) {
      journal.add(event(i));
      if (i % 10 === 9) await journal.flush();
    }
    await journal.close();
    const files = await listJournalFiles(dir);
    const total = files.reduce((sum, f) => sum + f.size, 0);
    expect(files.length).toBeGreaterThan(5);
    expect(total).toBeLessThanOrEqual(20_000);
    expect(files[0]!.index).toBeGreaterThan(1); // the first files are gone
    const { events } = await loadJournal(files, 1_000_000);
    // What is left is the newest events, whole and in order.
    expect(events.at(-1)!.seq).toBe(599);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => 600 - events.length + i));
  });

  it('writes a window bigger than its buffers, multi-byte text and file rollovers included, line for line', async () => {
    const dir = journalDir();
    const { journal } = await open(dir, { fileBytes: 3 * 1024 * 1024, maxBytes: 200 * 1024 * 1024 });
    // About 11 MB in one window: several pooled chunks, split where each 3 MB file is full.
    const events = Array.from({ length: 40_000 }, (_, i) => event(i, { vmId: `vm-ä-${i % 3}`, dataJson: `{"note":"日本 😀 ${'x'.repeat(200)}","i":${i}}` }));
    for (const e of events) journal.add(e);
    await journal.close();
    const files = await listJournalFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.every((f) => f.size <= 3 * 1024 * 1024)).toBe(true);
    const loaded = await loadJournal(files, 1_000_000);
    expect(loaded.notices).toEqual([]);
    expect(loaded.events).toEqual(events);
    expect(journal.counts).toEqual({ written: 40_000, lost: 0 });
  });

  it('splits one batch bigger than the bound across files and keeps its newest part', async () => {
    const dir = journalDir();
    const { journal } = await open(dir, { maxBytes: 16_000, fileBytes: 2_000 });
    for (let i = 0; i < 500; i += 1) journal.add(event(i));
    await journal.close();
    const files = await listJournalFiles(dir);
    expect(files.every((f) => f.size <= 2_000)).toBe(true);
    expect(files.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(16_000);
    const { events, notices } = await loadJournal(files, 1_000);
    expect(notices).toEqual([]);
    expect(events.length).toBeGreaterThan(50);
    expect(events.at(-1)!.seq).toBe(499);
  });

  it('applies a lowered bound to what is already on disk', async () => {
    const dir = journalDir();
    const first = await open(dir, { fileBytes: 1_000 });
    for (let i = 0; i < 200; i += 1) {
      first.journal.add(event(i));
      if (i % 5 === 4) await first.journal.flush();
    }
    await first.journal.close();
    const before = (await listJournalFiles(dir)).length;
    const second = await open(dir, { maxBytes: 8_000, fileBytes: 1_000 });
    await second.journal.trimToBound();
    const after = await listJournalFiles(dir);
    expect(after.length).toBeLessThan(before);
    expect(after.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(8_000);
  });

  it('skips a torn last line with a notice, keeps every whole line, and writes on in a new file', async () => {
    const dir = journalDir();
    mkdirSync(dir, { recursive: true });
    const whole = [0, 1, 2].map((seq) => `${JSON.stringify(event(seq))}\n`).join('');
    writeFileSync(join(dir, journalFileName(1)), `${whole}${JSON.stringify(event(3)).slice(0, 40)}`);
    const { journal, loaded } = await open(dir);
    expect(loaded.events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(loaded.endsClean).toBe(false);
    expect(loaded.notices).toEqual([expect.stringMatching(/torn line.*skipped.*3 whole events were kept/)]);
    journal.add(event(4));
    await journal.close();
    expect(readdirSync(dir).sort()).toEqual([journalFileName(1), journalFileName(2)]);
    expect((await loadJournal(await listJournalFiles(dir), 100)).events.map((e) => e.seq)).toEqual([0, 1, 2, 4]);
  });

  it('skips corrupt lines in the middle (garbage, wrong shape, a seq that goes back) and counts them', async () => {
    const dir = journalDir();
    mkdirSync(dir, { recursive: true });
    const line = (seq: number) => `${JSON.stringify(event(seq))}\n`;
    writeFileSync(join(dir, journalFileName(1)), `${line(0)}{"seq":1,"vmId":\n${line(2)}`);
    writeFileSync(join(dir, journalFileName(2)), `${JSON.stringify({ seq: 3, vmId: 'vm' })}\n\u0000\u0000\u0000\n${line(1)}${line(4)}\n`);
    const loaded = await loadJournal(await listJournalFiles(dir), 100);
    expect(loaded.events.map((e) => e.seq)).toEqual([0, 2, 4]);
    expect(loaded.notices).toEqual([expect.stringMatching(/had 4 unreadable lines; they were skipped and every whole line was kept/)]);
    expect(loaded.endsClean).toBe(true);
  });

  it('keeps only the newest events that fit the log', async () => {
    const dir = journalDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, journalFileName(1)), Array.from({ length: 50 }, (_, seq) => `${JSON.stringify(event(seq))}\n`).join(''));
    appendFileSync(join(dir, journalFileName(2)), Array.from({ length: 50 }, (_, i) => `${JSON.stringify(event(50 + i))}\n`).join(''));
    const { events, skipped } = await loadJournal(await listJournalFiles(dir), 30);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 70 + i));
    expect(skipped).toBe(70);
  });

  it('turns itself off with a notice when a write fails, and never throws', async () => {
    const parent = journalDir();
    writeFileSync(parent, 'a file where the journal folder should be');
    const notices: string[] = [];
    const journal = new EventJournal({ dir: parent, maxBytes: 1_000_000, files: [], endsClean: true, onNotice: (t) => notices.push(t) });
    journal.add(event(0));
    await journal.flush();
    expect(journal.stopped).toBe(true);
    expect(notices).toEqual([expect.stringMatching(/^The event journal is off: writing to .* failed \(.+\); new events are kept in memory/)]);
    journal.add(event(1));
    await journal.close();
    expect(notices).toHaveLength(1);
  });

  it('drops lines past its memory bound when the disk falls behind, with one notice', async () => {
    const dir = journalDir();
    const { journal, notices } = await open(dir, { maxPendingBytes: 1_000 });
    for (let i = 0; i < 100; i += 1) journal.add(event(i));
    expect(journal.counts.lost).toBeGreaterThan(80);
    expect(notices).toEqual([expect.stringMatching(/fell behind/)]);
    await journal.close();
    const { events } = await loadJournal(await listJournalFiles(dir), 1000);
    expect(events.length).toBe(100 - journal.counts.lost);
  });
});
