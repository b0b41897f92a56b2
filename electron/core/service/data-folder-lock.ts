/**
 * One running app per data folder, held by a `lock` file that names the holder's PID.
 *
 * Two instances on one folder would each open every saved VM, and QEMU serves one QMP client
 * per monitor: both windows would sit in "connecting" for ever, and their saves would overwrite
 * each other. The file is created with O_EXCL semantics (a hard link of a fully written temp
 * file, so it is never seen empty); a lock whose PID is no longer running (a crash, SIGKILL) is
 * stale and taken over. Two instances starting in the same instant over a *stale* lock could
 * both take it; that window is a few system calls wide and only after a crash.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../vm/fs-error-text';

/** Name of the lock file inside the data folder. */
export const LOCK_FILE_NAME = 'lock';

/** Thrown when another live process holds the folder; its message is one line for people. */
export class DataFolderInUseError extends Error {
  public constructor(
    public readonly folder: string,
    public readonly holderPid: number,
    holderCommand: string | undefined,
  ) {
    super(
      `the data folder ${folder} is in use by another QMP Monitor (pid ${holderPid}${holderCommand ? `, ${holderCommand}` : ''}); ` +
        `quit it or pick another folder with --data-dir (remove ${join(folder, LOCK_FILE_NAME)} if that process is not QMP Monitor)`,
    );
    this.name = 'DataFolderInUseError';
  }
}

/** A held lock. */
export interface DataFolderLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; never throws. */
  release(): Promise<void>;
}

/** Locks held by this process, so two services in one process on one folder also conflict. */
const heldHere = new Set<string>();

/**
 * Takes the lock file at `lockPath` (for the folder `folder`, as named in messages).
 *
 * @throws DataFolderInUseError when a live process holds it; the file-system error when the
 *   lock cannot be written at all (the caller decides what an unwritable folder means).
 */
export async function acquireLock(folder: string, lockPath: string): Promise<DataFolderLock> {
  if (heldHere.has(lockPath)) throw new DataFolderInUseError(folder, process.pid, await commandName(process.pid));
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await tryCreate(lockPath)) {
      heldHere.add(lockPath);
      return { path: lockPath, release: () => release(lockPath) };
    }
    const holder = await readHolder(lockPath);
    if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
      throw new DataFolderInUseError(folder, holder, await commandName(holder));
    }
    // Stale: its process is gone (or the file is not a lock we wrote). Take it over.
    await fs.rm(lockPath, { force: true });
  }
  throw new Error(`could not take the lock ${lockPath}: it keeps reappearing`);
}

async function tryCreate(lockPath: string): Promise<boolean> {
  const temp = `${lockPath}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.writeFile(temp, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  try {
    // link() fails with EEXIST if the lock exists: the atomic test-and-set, with content.
    await fs.link(temp, lockPath);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function readHolder(lockPath: string): Promise<number | undefined> {
  try {
    const text = (await fs.readFile(lockPath, 'utf8')).trim();
    return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** The holder's command line from /proc (Linux), shortened; undefined elsewhere. */
async function commandName(pid: number): Promise<string | undefined> {
  try {
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
    const text = cmdline || (await fs.readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    return text.length > 120 ? `${text.slice(0, 117)}...` : text || undefined;
  } catch {
    return undefined;
  }
}

async function release(lockPath: string): Promise<void> {
  if (!heldHere.delete(lockPath)) return;
  try {
    if ((await readHolder(lockPath)) === process.pid) await fs.rm(lockPath, { force: true });
  } catch {
    // Leaving a lock behind is harmless: the next start sees its PID is gone.
  }
}
