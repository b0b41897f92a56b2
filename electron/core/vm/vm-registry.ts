/**
 * The saved VM connections, persisted as `<dataDir>/connections.json`.
 *
 * Only connections the user added are saved; `--connect` and demo VMs live for one run. A file
 * that cannot be read as ours is moved aside (never deleted) and the app starts with an empty
 * list and a notice, because refusing to start would lock the user out of the UI that fixes it.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { VmConfigSchema, type VmConfig } from '../../common/models';
import { formatTarget, parseTarget } from '../qmp/target';
import { AtomicJsonFile, readJsonFile, setAsideWithNotice } from './atomic-json-file';
import { saveError } from './fs-error-text';

const FileSchema = z.object({ version: z.literal(1), connections: z.array(VmConfigSchema) });

/** Result of loading the registry: the configs and any notice for the user. */
export interface RegistryLoad {
  readonly configs: readonly VmConfig[];
  readonly notice?: string;
}

/** A short random id, unique enough for a personal VM list and readable in logs. */
export function newVmId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * Validates a target typed by a user and returns its canonical text.
 *
 * @throws Error naming the accepted forms when the text is not a target.
 */
export function normaliseTarget(text: string): string {
  return formatTarget(parseTarget(text));
}

/** Loads and saves the user's connections. */
export class VmRegistry {
  private readonly file: AtomicJsonFile;
  private savingDisabled = false;

  public constructor(dataDir: string) {
    this.file = new AtomicJsonFile(join(dataDir, 'connections.json'));
  }

  /** Path of the backing file. */
  public get path(): string {
    return this.file.path;
  }

  /** Reads the file; a corrupt one is renamed aside and reported in `notice`. */
  public async load(): Promise<RegistryLoad> {
    const read = await readJsonFile(this.file.path);
    if (read.kind === 'missing') return { configs: [] };
    const parsed = read.kind === 'ok' ? FileSchema.safeParse(read.value) : undefined;
    if (parsed?.success) return { configs: dedupeIds(parsed.data.connections).map(dropPathLabel) };
    const why = read.kind === 'corrupt' ? read.reason : (parsed?.error.issues[0]?.message ?? 'unexpected content');
    const notice = await setAsideWithNotice(this.file.path, 'saved connections file', why, 'the app started with an empty list');
    return { configs: [], notice };
  }

  /**
   * Writes the whole list atomically; a no-op while saving is disabled.
   *
   * @throws Error worded for people ("could not save the connection list in DIR: permission
   *   denied"), with the file-system error as `cause`.
   */
  public async save(configs: readonly VmConfig[]): Promise<void> {
    if (this.savingDisabled) return;
    try {
      await this.file.save({ version: 1, connections: configs });
    } catch (error) {
      throw saveError('the connection list', dirname(this.file.path), error);
    }
  }

  /**
   * Stops writing for this run (the data folder is not writable; the start-up notice says so).
   *
   * Edits then last until quit instead of each one failing with the same error.
   */
  public disableSaving(): void {
    this.savingDisabled = true;
  }

  /** Waits for pending writes. */
  public idle(): Promise<void> {
    return this.file.idle();
  }
}

function dedupeIds(configs: readonly VmConfig[]): VmConfig[] {
  const seen = new Set<string>();
  return configs.filter((c) => !seen.has(c.id) && (seen.add(c.id), true));
}

/**
 * Older versions stored the socket path as the label of an unlabelled connection, which then
 * hid the QMP name in the sidebar; an empty label lets the name show again.
 */
function dropPathLabel(config: VmConfig): VmConfig {
  return config.label !== '' && config.label === config.target.replace(/^unix:/, '') ? { ...config, label: '' } : config;
}
