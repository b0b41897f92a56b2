/**
 * A JSON file that is written atomically and never by two writers at once.
 *
 * Settings must survive a crash or power cut mid-save: we write a temp file beside the target
 * and rename it over, which POSIX makes atomic. Saves are queued so two quick edits never
 * interleave their temp files, and a burst of saves collapses into writing only the newest value.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

/** What reading a JSON file found. */
export type JsonReadResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Reads and parses a JSON file; a missing file is not an error, bad JSON is reported. */
export async function readJsonFile(path: string): Promise<JsonReadResult> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    // Unreadable (a folder in its place, no permission): report it rather than refuse to start.
    return { kind: 'corrupt', reason: (error as Error).message };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'corrupt', reason: (error as Error).message };
  }
}

/**
 * Moves a damaged file aside so the app can start clean without destroying the user's data.
 *
 * @returns the backup path, `<path>.corrupt-<timestamp>`.
 */
export async function moveAside(path: string, now = Date.now()): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const backup = `${path}.corrupt-${stamp}`;
  await fs.rename(path, backup);
  return backup;
}

/**
 * Moves a damaged file aside and words the start-up notice; never throws.
 *
 * If even the rename fails the app still starts, and the notice says the file was left alone.
 */
export async function setAsideWithNotice(path: string, what: string, why: string, fallback: string): Promise<string> {
  try {
    const backup = await moveAside(path);
    return `The ${what} could not be read (${why}); it was kept as ${backup} and ${fallback}.`;
  } catch (error) {
    return `The ${what} could not be read (${why}) nor moved aside (${(error as Error).message}); ${fallback}, and saving may fail until ${path} is fixed.`;
  }
}

/** Serialised, atomic writer for one JSON file. */
export class AtomicJsonFile {
  private latest: { readonly text: string } | undefined;
  private running: Promise<void> | undefined;

  public constructor(public readonly path: string) {}

  /**
   * Saves `value`; resolves once a write containing it (or a newer value) is on disk.
   *
   * @throws the file-system error of the write that should have stored it.
   */
  public save(value: unknown): Promise<void> {
    this.latest = { text: `${JSON.stringify(value, null, 2)}\n` };
    if (!this.running) {
      this.running = this.drain().finally(() => (this.running = undefined));
      return this.running;
    }
    // A write is in flight with an older value: ours is picked up by the drain loop.
    return this.running;
  }

  /** Resolves when no write is pending (for dispose). */
  public async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    while (this.latest) {
      const { text } = this.latest;
      this.latest = undefined;
      await this.writeOnce(text);
    }
  }

  private async writeOnce(text: string): Promise<void> {
    await fs.mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      const handle = await fs.open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.path);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }
}
