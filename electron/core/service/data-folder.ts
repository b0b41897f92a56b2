/**
 * Makes the data folder ready at start-up: created, locked, and checked for writing.
 *
 * A folder that cannot be written (read-only mount, no permission) still lets the app start,
 * with saving disabled and a notice saying why, since watching VMs needs no disk. A folder that
 * cannot exist (a file in its place) or is in use by another instance stops start-up with one
 * sentence, never a raw errno line.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errnoCode, fsErrorReason, isUnwritableError } from '../vm/fs-error-text';
import { DataFolderInUseError, LOCK_FILE_NAME, acquireLock, type DataFolderLock } from './data-folder-lock';

/** The data folder as start-up found it. */
export interface PreparedDataFolder {
  /** Undefined only when no lock could be written anywhere. */
  readonly lock: DataFolderLock | undefined;
  /** Why nothing can be saved, when the folder is not writable. */
  readonly unwritable?: string;
}

/** Start-up cannot go on with this data folder; the message is one line for people. */
export class DataFolderError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataFolderError';
  }
}

/**
 * Creates `dir` if needed and takes its lock.
 *
 * @throws DataFolderError when the folder cannot be a folder; DataFolderInUseError when another
 *   running instance holds it.
 */
export async function prepareDataFolder(dir: string): Promise<PreparedDataFolder> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    // EEXIST: something that is not a folder is there; the stat below says what.
    if (!isUnwritableError(error) && errnoCode(error) !== 'EEXIST') throw unusable(dir, error);
  }
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (error) {
    // It could not be created (e.g. its parent is read-only): nothing to read, nothing to save.
    if (isUnwritableError(error) || errnoCode(error) === 'ENOENT') {
      return { lock: await fallbackLock(dir), unwritable: `it could not be created (${fsErrorReason(error)})` };
    }
    throw unusable(dir, error);
  }
  if (!stat.isDirectory()) throw new DataFolderError(`the data folder ${dir} is a file, not a folder; pick another with --data-dir`);
  try {
    return { lock: await acquireLock(dir, join(dir, LOCK_FILE_NAME)) };
  } catch (error) {
    if (error instanceof DataFolderInUseError) throw error;
    // Read-only, full disk, no permission: watching VMs needs no disk, so start without saving.
    return { lock: await fallbackLock(dir), unwritable: fsErrorReason(error) };
  }
}

/** A read-only folder cannot hold its lock: hold it in the temp folder, keyed by the path. */
async function fallbackLock(dir: string): Promise<DataFolderLock | undefined> {
  const absolute = await fs.realpath(dir).catch(() => resolve(dir));
  const key = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const uid = process.getuid?.() ?? 0;
  try {
    return await acquireLock(dir, join(tmpdir(), `qmp-monitor-${uid}-${key}.lock`));
  } catch (error) {
    if (isUnwritableError(error)) return undefined;
    throw error;
  }
}

function unusable(dir: string, error: unknown): DataFolderError {
  return new DataFolderError(`the data folder ${dir} cannot be used: ${fsErrorReason(error)}; pick another with --data-dir`, { cause: error });
}
