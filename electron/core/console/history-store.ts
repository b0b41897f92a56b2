/**
 * The console's command history, persisted as `<dataDir>/console-history.json`, so Up and
 * Ctrl+R find yesterday's commands after a restart or a reload.
 *
 * The same rules as the other files of the data folder: atomic writes with bursts collapsed
 * (AtomicJsonFile), a damaged file moved aside with a notice, and in memory only while the
 * folder cannot be written. What is kept is decided by electron/common/console-history.ts.
 */
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { HISTORY_LIMIT, HistoryEntrySchema, withHistoryEntry, type HistoryEntry } from '../../common/console-history';
import { AtomicJsonFile, readJsonFile, setAsideWithNotice } from '../vm/atomic-json-file';
import { saveError } from '../vm/fs-error-text';

/** The file's name in the data folder. */
export const HISTORY_FILE = 'console-history.json';

const HistoryFileSchema = z.object({ version: z.literal(1), entries: z.array(HistoryEntrySchema) });

/** Loads, adds to and saves the history. */
export class HistoryStore {
  private readonly file: AtomicJsonFile;
  private current: HistoryEntry[] = [];
  private savingDisabled = false;

  public constructor(
    dataDir: string,
    private readonly limit = HISTORY_LIMIT,
  ) {
    this.file = new AtomicJsonFile(join(dataDir, HISTORY_FILE));
  }

  /** Every entry, oldest first. */
  public get entries(): readonly HistoryEntry[] {
    return this.current;
  }

  /** Reads the file; returns a notice when it was damaged and moved aside. */
  public async load(): Promise<string | undefined> {
    const read = await readJsonFile(this.file.path);
    if (read.kind === 'missing') return undefined;
    const parsed = read.kind === 'ok' ? HistoryFileSchema.safeParse(read.value) : undefined;
    if (parsed?.success) {
      // Re-applied one by one, so a hand-edited file still obeys the bound and the collapse.
      this.current = parsed.data.entries.reduce<HistoryEntry[]>((kept, entry) => withHistoryEntry(kept, entry, this.limit), []);
      return undefined;
    }
    const why = read.kind === 'corrupt' ? read.reason : (parsed?.error.issues[0]?.message ?? 'unexpected content');
    return setAsideWithNotice(this.file.path, 'console history', why, 'the history starts empty');
  }

  /**
   * Adds one sent command (moving an older copy to the newest place) and saves.
   *
   * @throws Error worded for people when the write fails; memory keeps the entry anyway,
   *   since losing a typed command from Up would be worse than a failed save.
   */
  public async add(entry: HistoryEntry): Promise<readonly HistoryEntry[]> {
    this.current = withHistoryEntry(this.current, entry, this.limit);
    if (!this.savingDisabled) {
      try {
        await this.file.save({ version: 1, entries: this.current });
      } catch (error) {
        throw saveError('the console history', dirname(this.file.path), error);
      }
    }
    return this.current;
  }

  /** Stops writing for this run (the data folder is not writable). */
  public disableSaving(): void {
    this.savingDisabled = true;
  }

  /** Waits for pending writes. */
  public idle(): Promise<void> {
    return this.file.idle();
  }
}
