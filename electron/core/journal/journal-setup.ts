/**
 * Starts the event journal for one run of the core: loads what is on disk, then opens the writer.
 *
 * Whatever goes wrong here (an unreadable file, a read-only data folder) costs the journal, not
 * the start: the reason becomes a notice and the timeline simply lives in memory.
 */
import { join } from 'node:path';
import type { TimelineEvent } from '../../common/models';
import { fsErrorReason } from '../vm/fs-error-text';
import { EventJournal } from './event-journal';
import { DEFAULT_JOURNAL_MAX_BYTES, JOURNAL_FOLDER, listJournalFiles, type JournalFile } from './journal-files';
import { loadJournal } from './journal-reader';

/** Options of {@link openEventJournal}. */
export interface JournalSetupOptions {
  readonly dataDir: string;
  /** False for `--no-journal`: nothing is read or written. */
  readonly enabled: boolean;
  readonly maxBytes?: number;
  /** Why the data folder cannot be written (saving disabled), if so: the journal is only read. */
  readonly unwritable: string | undefined;
  /** Most events to load (the EventLog's capacity). */
  readonly keep: number;
  /** Start-up notices, shown once (AppInfo.notices); later notices are appended as they happen. */
  readonly notices: string[];
  readonly fileBytes?: number;
  readonly windowMs?: number;
}

/** The loaded events and the writer (undefined when the journal is off). */
export interface JournalSetup {
  readonly events: TimelineEvent[];
  /** Older journaled events that did not fit the log. */
  readonly skipped: number;
  readonly journal: EventJournal | undefined;
}

/** Loads the journal and opens it for appending; never throws. */
export async function openEventJournal(options: JournalSetupOptions): Promise<JournalSetup> {
  if (!options.enabled) return { events: [], skipped: 0, journal: undefined };
  const dir = join(options.dataDir, JOURNAL_FOLDER);
  let files: JournalFile[] = [];
  try {
    files = await listJournalFiles(dir);
  } catch (error) {
    options.notices.push(`The event journal in ${dir} could not be read (${fsErrorReason(error)}); the timeline starts empty.`);
  }
  const loaded = await loadJournal(files, options.keep);
  options.notices.push(...loaded.notices);
  if (options.unwritable !== undefined) {
    options.notices.push(`The event journal is off because the data folder cannot be written (${options.unwritable}); new events are kept in memory until you quit.`);
    return { events: loaded.events, skipped: loaded.skipped, journal: undefined };
  }
  const journal = new EventJournal({
    dir,
    maxBytes: options.maxBytes ?? DEFAULT_JOURNAL_MAX_BYTES,
    files,
    endsClean: loaded.endsClean,
    onNotice: (text) => options.notices.push(text),
    ...(options.fileBytes !== undefined ? { fileBytes: options.fileBytes } : {}),
    ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
  });
  await journal.trimToBound();
  return { events: loaded.events, skipped: loaded.skipped, journal };
}
