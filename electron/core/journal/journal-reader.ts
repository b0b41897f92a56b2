/**
 * Loads the event journal back at start, so the timeline shows what happened before it.
 *
 * A crash can tear the last line of a file; a disk can garble one in the middle. Neither may
 * stop the app from starting: each unreadable line is skipped and counted in one notice, and
 * every whole line is kept. Lines must carry increasing seqs (the journal is append-only), so a
 * line that goes back is skipped as well, and the EventLog can continue after the highest seq.
 */
import { promises as fs } from 'node:fs';
import type { TimelineEvent } from '../../common/models';
import { fsErrorReason } from '../vm/fs-error-text';
import type { JournalFile } from './journal-files';
import { readJournalLine } from './line-text';

/** What the journal held. */
export interface LoadedJournal {
  /** Oldest first, increasing seqs, at most `keep` of them (the newest). */
  readonly events: TimelineEvent[];
  /** Whole events left out because more than `keep` were on disk (the oldest). */
  readonly skipped: number;
  /** Sentences for AppInfo.notices (unreadable lines, a torn tail, a file that could not be read). */
  readonly notices: string[];
  /** True when the newest file ends with a whole line, so appending to it is safe. */
  readonly endsClean: boolean;
}

/**
 * Reads `files` (oldest first) and keeps the newest `keep` events.
 *
 * Never throws: what cannot be read becomes a notice.
 */
export async function loadJournal(files: readonly JournalFile[], keep: number): Promise<LoadedJournal> {
  let events: TimelineEvent[] = [];
  let skipped = 0;
  const notices: string[] = [];
  let corrupt = 0;
  let torn = 0;
  let lastSeq = -1;
  let endsClean = true;
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file.path, 'utf8');
    } catch (error) {
      notices.push(`The event journal file ${file.path} could not be read (${fsErrorReason(error)}); the timeline starts without it.`);
      continue;
    }
    const lines = text.split('\n');
    // The part after the last newline is a line the writer did not finish (empty when it did).
    const tail = lines.pop() ?? '';
    endsClean = tail === '';
    for (const line of lines) {
      if (line === '') continue;
      const event = readJournalLine(line);
      if (event && event.seq > lastSeq) {
        events.push(event);
        lastSeq = event.seq;
      } else {
        corrupt += 1;
      }
    }
    if (tail !== '') {
      const event = readJournalLine(tail);
      if (event && event.seq > lastSeq) {
        events.push(event);
        lastSeq = event.seq;
      } else {
        torn += 1;
      }
    }
    // Keep memory near `keep` while reading a journal larger than the log.
    if (events.length > keep * 1.1) ({ events, skipped } = trim(events, keep, skipped));
  }
  if (events.length > keep) ({ events, skipped } = trim(events, keep, skipped));
  if (torn > 0) notices.push(`The event journal ended in a torn line (the app was stopped while writing it); it was skipped and ${events.length} whole events were kept.`);
  if (corrupt > 0) notices.push(`The event journal had ${corrupt} unreadable line${corrupt === 1 ? '' : 's'}; ${corrupt === 1 ? 'it was' : 'they were'} skipped and every whole line was kept.`);
  return { events, skipped, notices, endsClean };
}

function trim(events: TimelineEvent[], keep: number, skipped: number): { events: TimelineEvent[]; skipped: number } {
  return { events: events.slice(events.length - keep), skipped: skipped + events.length - keep };
}
