/**
 * Names and listing of the event journal's files in `<data folder>/journal/`.
 *
 * Files are numbered so their names sort in write order; the highest number is the one being
 * written, the lowest the first to go when the journal reaches its bound on disk.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../vm/fs-error-text';

/** The journal's folder inside the data folder. */
export const JOURNAL_FOLDER = 'journal';
/** Default bound of the whole journal on disk. */
export const DEFAULT_JOURNAL_MAX_BYTES = 200 * 1024 * 1024;
/** Size at which the journal moves on to a new file. */
export const JOURNAL_FILE_BYTES = 16 * 1024 * 1024;

const FILE_PATTERN = /^events-(\d{8})\.jsonl$/;

/** One journal file as found on disk. */
export interface JournalFile {
  readonly index: number;
  readonly path: string;
  size: number;
}

/** The file name for `index`: `events-00000001.jsonl`. */
export function journalFileName(index: number): string {
  return `events-${String(index).padStart(8, '0')}.jsonl`;
}

/** The journal's files, oldest first; none when the folder does not exist yet. */
export async function listJournalFiles(dir: string): Promise<JournalFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const files: JournalFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isFile()) files.push({ index: Number(match[1]), path, size: stat.size });
  }
  return files.sort((a, b) => a.index - b.index);
}
