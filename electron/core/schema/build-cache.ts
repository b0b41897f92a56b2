/**
 * Facts about a QEMU build (its QAPI schema, its HMP command names), read once per build.
 *
 * `query-qmp-schema` is a 207 KB reply that a given QEMU binary always answers the same way,
 * so it is keyed by what the greeting says about the build (version and package) and kept in
 * memory and in `schemas/<hash>.json` in the data folder: a reconnect, a second VM of the same
 * build or the next start of the app costs nothing. Two VMs asking at once share one read.
 * Files are written atomically (write-file-atomic); one that does not parse, or that names
 * another build, is ignored and rewritten.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isJsonObject, parseJsonLossless, stringifyJsonLossless } from '../../common/json-text';

/** What tells two QEMU builds apart, from the QMP greeting. */
export interface QemuBuild {
  readonly version: string;
  readonly package: string;
}

/** The folder of the cache files inside the data folder. */
export const SCHEMA_CACHE_FOLDER = 'schemas';

/** Bumped when the file layout changes, so old files are re-read rather than misread. */
const FORMAT = 1;

/** A per-build cache of JSON texts, one file per build and kind. */
export class BuildCache {
  private readonly memory = new Map<string, Promise<string>>();

  public constructor(
    private readonly dataDir: string,
    /** False while the data folder cannot be written (the values are then kept in memory only). */
    private readonly saving: () => boolean = () => true,
  ) {}

  /** The file that holds `kind` for `build`: `schemas/<sha256 of build, 16 hex>[.kind].json`. */
  public pathOf(kind: string, build: QemuBuild): string {
    const hash = createHash('sha256').update(`${build.version}\n${build.package}`).digest('hex').slice(0, 16);
    return join(this.dataDir, SCHEMA_CACHE_FOLDER, kind === 'qmp-schema' ? `${hash}.json` : `${hash}.${kind}.json`);
  }

  /**
   * The JSON text of `kind` for `build`: from memory, else from its file, else from `fetch`
   * (whose answer is then saved). A failed fetch is not cached, so the next call tries again.
   */
  public get(kind: string, build: QemuBuild, fetch: () => Promise<string>): Promise<string> {
    const key = `${kind}\n${build.version}\n${build.package}`;
    const known = this.memory.get(key);
    if (known !== undefined) return known;
    const loading = this.load(kind, build, fetch);
    this.memory.set(key, loading);
    loading.catch(() => this.memory.delete(key));
    return loading;
  }

  private async load(kind: string, build: QemuBuild, fetch: () => Promise<string>): Promise<string> {
    const path = this.pathOf(kind, build);
    const stored = await readStored(path, kind, build);
    if (stored !== undefined) return stored;
    const text = await fetch();
    if (this.saving()) await save(path, kind, build, text);
    return text;
  }
}

/** The value text of a cache file, or undefined when it is missing, damaged or for another build. */
async function readStored(path: string, kind: string, build: QemuBuild): Promise<string | undefined> {
  try {
    const file = parseJsonLossless(await fs.readFile(path, 'utf8'));
    if (!isJsonObject(file) || file['format'] !== FORMAT || file['kind'] !== kind) return undefined;
    if (file['qemu'] !== build.version || file['package'] !== build.package || !Object.hasOwn(file, 'value')) return undefined;
    return stringifyJsonLossless(file['value']);
  } catch {
    return undefined;
  }
}

/** Writes the cache file; a failure only costs the next start one more read from QEMU. */
async function save(path: string, kind: string, build: QemuBuild, text: string): Promise<void> {
  const head = JSON.stringify({ format: FORMAT, kind, qemu: build.version, package: build.package });
  try {
    await fs.mkdir(join(path, '..'), { recursive: true });
    await writeFileAtomic(path, `${head.slice(0, -1)},"value":${text}}\n`);
  } catch {
    // Best effort by design: the value is already in memory for this run.
  }
}
