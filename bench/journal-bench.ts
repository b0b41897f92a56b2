/**
 * The event journal (issue 9): does it keep up with the flood, and how long does the core take
 * to start with a full journal?
 *
 * Writing: 1,000,000 flood-shaped entries (bench/flood-peer.ts's events, 30 % holding a uint64)
 * are handed to the journal at the flood's 100,000 events/s, in 10 ms ticks, as the core hands
 * them; the figures are the entries on disk ÷ the entries handed (nothing may be lost) and the
 * rate the disk took them, against the flood's rate. Start-up: the core (createMonitorService)
 * opens that data folder, journal full at its default 200 MB bound; the figure is the time until
 * it is ready with the journal's newest events loaded, against a 5 s limit of our choosing (the
 * window opens at once and shows a progress bar while the page loads its history; the core itself
 * should be ready about as fast as a person looks).
 */
import { join } from 'node:path';
import { parseJsonLossless, stringifyJsonLossless, type JsonObject } from '../electron/common/json-text';
import type { TimelineEvent } from '../electron/common/models';
import { EventJournal } from '../electron/core/journal/event-journal';
import { DEFAULT_JOURNAL_MAX_BYTES, JOURNAL_FOLDER, listJournalFiles } from '../electron/core/journal/journal-files';
import { createMonitorService } from '../electron/core/service/monitor-service';
import { makeTempDir, removeTempDir } from '../test/support/qemu';
import { floodEventLine } from './flood-peer';
import { result } from './report';
import type { BenchResult } from './types';

const EVENTS = 1_000_000;
const FLOOD_PER_SECOND = 100_000;
const TICK_MS = 10;
const STARTUP_LIMIT_MS = 5_000;

/** The `index`-th flood event as the event log stores it. */
function floodEntry(index: number, nowMs: number): TimelineEvent {
  const message = parseJsonLossless(floodEventLine(index, nowMs)) as JsonObject;
  const timestamp = message['timestamp'] as { seconds: number; microseconds: number };
  return {
    seq: index,
    vmId: `vm-${index % 10}`,
    event: message['event'] as string,
    timestamp: { seconds: timestamp.seconds, microseconds: timestamp.microseconds },
    receivedAt: nowMs,
    dataJson: stringifyJsonLossless(message['data']),
  };
}

/** Hands EVENTS entries to a journal at the flood's rate; resolves with what it wrote and how fast. */
async function writeAtFloodRate(dataDir: string): Promise<{ written: number; lost: number; perSecond: number }> {
  const notices: string[] = [];
  const journal = new EventJournal({
    dir: join(dataDir, JOURNAL_FOLDER),
    maxBytes: DEFAULT_JOURNAL_MAX_BYTES,
    files: [],
    endsClean: true,
    onNotice: (text) => notices.push(text),
  });
  // Entries are made before the clock starts: the journal's cost is measured, not the generator's.
  const now = Date.now();
  const entries = Array.from({ length: EVENTS }, (_, index) => floodEntry(index, now));
  const began = performance.now();
  let handed = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const owed = Math.min(EVENTS, Math.floor(((performance.now() - began) * FLOOD_PER_SECOND) / 1000));
      for (; handed < owed; handed++) journal.add(entries[handed]!);
      if (handed === EVENTS) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await journal.close();
  const seconds = (performance.now() - began) / 1000;
  if (notices.length > 0) console.log(`  journal notices: ${notices.join(' ')}`);
  const { written, lost } = journal.counts;
  return { written, lost, perSecond: written / seconds };
}

/** Starts the core on `dataDir` and returns ms until ready and how many events it loaded. */
async function startUp(dataDir: string): Promise<{ ms: number; held: number }> {
  const began = performance.now();
  const service = await createMonitorService({ host: 'web', version: 'bench', dataDir }, { qemuBinary: null, discoveryRescanMs: 600_000 });
  const ms = performance.now() - began;
  try {
    const page = await service.handlers.getEvents({ afterSeq: -1, limit: 1, newest: true });
    return { ms, held: page.held ?? 0 };
  } finally {
    await service.dispose();
  }
}

/** Runs both journal figures in a temporary data folder, which it removes. */
export async function runJournalBenchmarks(): Promise<BenchResult[]> {
  const dataDir = makeTempDir('qmp-bench-journal-');
  try {
    const writing = await writeAtFloodRate(dataDir);
    const files = await listJournalFiles(join(dataDir, JOURNAL_FOLDER));
    const megabytes = files.reduce((sum, file) => sum + file.size, 0) / 1024 / 1024;
    console.log(
      `  ${writing.written.toLocaleString('en-US')} of ${EVENTS.toLocaleString('en-US')} events journaled (${writing.lost} lost) at ` +
        `${Math.round(writing.perSecond).toLocaleString('en-US')}/s, ${megabytes.toFixed(0)} MB in ${files.length} files`,
    );
    const start = await startUp(dataDir);
    console.log(`  start-up with that journal: ${start.ms.toFixed(0)} ms, ${start.held.toLocaleString('en-US')} events loaded`);
    return [
      result('journal-flood-lost', writing.written, EVENTS, 'events journaled ÷ handed at 100,000/s'),
      result('journal-write-events-per-s', writing.perSecond, FLOOD_PER_SECOND, 'events/s on disk (ours ÷ the flood rate)'),
      result('journal-startup-full-ms', start.ms, STARTUP_LIMIT_MS, `ms to start with ${start.held} events journaled (limit ÷ ours)`, false),
    ];
  } finally {
    removeTempDir(dataDir);
  }
}
