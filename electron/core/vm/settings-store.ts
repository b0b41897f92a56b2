/**
 * App settings other than connections, persisted as `<dataDir>/settings.json`.
 *
 * Today that is only the discovery folders. Same rules as the registry: atomic writes, and a
 * damaged file is moved aside with a notice instead of stopping the app.
 */
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AtomicJsonFile, readJsonFile, setAsideWithNotice } from './atomic-json-file';
import { saveError } from './fs-error-text';

const SettingsSchema = z.object({
  version: z.literal(1),
  discoveryFolders: z.array(z.string().startsWith('/')).max(32).optional(),
});

/** Settings as stored. */
export type Settings = z.infer<typeof SettingsSchema>;

/** Loads and saves settings.json. */
export class SettingsStore {
  private readonly file: AtomicJsonFile;
  private current: Settings = { version: 1 };
  private savingDisabled = false;

  public constructor(dataDir: string) {
    this.file = new AtomicJsonFile(join(dataDir, 'settings.json'));
  }

  /** The settings in memory. */
  public get value(): Settings {
    return this.current;
  }

  /** Reads the file; returns a notice when it was corrupt and moved aside. */
  public async load(): Promise<string | undefined> {
    const read = await readJsonFile(this.file.path);
    if (read.kind === 'missing') return undefined;
    const parsed = read.kind === 'ok' ? SettingsSchema.safeParse(read.value) : undefined;
    if (parsed?.success) {
      this.current = parsed.data;
      return undefined;
    }
    const why = read.kind === 'corrupt' ? read.reason : (parsed?.error.issues[0]?.message ?? 'unexpected content');
    return setAsideWithNotice(this.file.path, 'settings file', why, 'defaults are used');
  }

  /**
   * Changes settings and writes them atomically (in memory only while saving is disabled).
   *
   * @throws Error worded for people when the write fails; the settings in memory stay as they
   *   were, so what is shown matches what is saved.
   */
  public async update(patch: Partial<Omit<Settings, 'version'>>): Promise<void> {
    const next: Settings = { ...this.current, ...patch, version: 1 };
    if (!this.savingDisabled) {
      try {
        await this.file.save(next);
      } catch (error) {
        throw saveError('the settings', dirname(this.file.path), error);
      }
    }
    this.current = next;
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
