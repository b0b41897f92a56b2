/**
 * A JSON file that is written atomically and never by two writers at once.
 *
 * Settings must survive a crash or power cut mid-save: a temp file is written beside the target
 * and renamed over it, which POSIX makes atomic. Saves are queued so two quick edits never
 * interleave, and a burst of saves collapses into writing only the newest value. The read side
 * (a damaged file is moved aside, never deleted) is ours: no library does that part.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

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

/**
 * Serialised, atomic writer for one JSON file.
 *
 * The write itself is `write-file-atomic` (temp file beside the target, fsync, rename; it also
 * follows a symlinked file and removes its temp file on failure or exit). What it cannot do is
 * collapse a burst of saves: it queues every one of them, so 50 quick edits would mean 50
 * fsyncs. Here a save made while another is in flight only replaces the value waiting to go.
 */
export class AtomicJsonFile {
  private latest: { readonly text: string } | undefined;
  private running: Promise<void> | undefined;

  public constructor(public readonly path: string) {}

  /**
   * Saves `value`; resolves once a write containing it (or a newer value) is on disk.
   *
   * @throws the file-system error of the newest write when that one failed.
   */
  public save(value: unknown): Promise<void> {
    this.latest = { text: `${JSON.stringify(value, null, 2)}\n` };
    // A write in flight with an older value picks ours up in its drain loop.
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when no write is pending (for dispose). */
  public async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    let failure: Error | undefined;
    while (this.latest) {
      const { text } = this.latest;
      this.latest = undefined;
      try {
        await fs.mkdir(dirname(this.path), { recursive: true });
        await writeFileAtomic(this.path, text, { mode: 0o600 });
        failure = undefined;
      } catch (error) {
        // A newer value still waiting gets its own try; only the newest outcome is reported.
        failure = error as Error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
