/**
 * Finds QMP sockets in folders the user chose, without connecting to them.
 *
 * QEMU serves one QMP client per monitor: probing a socket would take that slot from whoever
 * uses it, so a found socket is only *offered* and the user decides. Watching uses `fs.watch`
 * for prompt updates plus a slow periodic rescan, because watchers can miss events (network
 * file systems, a folder created after we started).
 */
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { DiscoveredSocket } from '../../common/models';

/** Options of {@link SocketDiscovery}. */
export interface DiscoveryOptions {
  /** Called with the full list whenever it changes. */
  readonly onChange: (sockets: readonly DiscoveredSocket[]) => void;
  /** Tells whether a saved connection already points at a socket path. */
  readonly isAdded: (path: string) => boolean;
  /** Safety-net rescan period. */
  readonly rescanMs?: number;
}

/** Delay that merges a burst of watcher events into one scan. */
const SCAN_DEBOUNCE_MS = 30;

/** Watches folders for unix sockets. */
export class SocketDiscovery {
  private folders: readonly string[] = [];
  private watchers: FSWatcher[] = [];
  private found = new Map<string, { folder: string; seenAt: number }>();
  private list: readonly DiscoveredSocket[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private scanning: Promise<void> | undefined;
  private rescanAgain = false;
  private disposed = false;

  public constructor(private readonly options: DiscoveryOptions) {}

  /** The sockets currently present. */
  public get sockets(): readonly DiscoveredSocket[] {
    return this.list;
  }

  /** Replaces the watched folders and scans them; resolves after the first scan. */
  public async setFolders(folders: readonly string[]): Promise<void> {
    this.folders = [...new Set(folders)];
    this.closeWatchers();
    for (const folder of this.folders) {
      try {
        const watcher = watch(folder, { persistent: false }, () => this.scheduleScan());
        watcher.on('error', () => this.scheduleScan());
        this.watchers.push(watcher);
      } catch {
        // Missing or unreadable folder: the periodic rescan picks it up if it appears.
      }
    }
    if (!this.interval) {
      this.interval = setInterval(() => this.scheduleScan(), this.options.rescanMs ?? 5_000);
      this.interval.unref();
    }
    await this.scan();
  }

  /** Recomputes `alreadyAdded` (after the VM list changed) and reports if it differs. */
  public refreshAdded(): void {
    this.publish();
  }

  /** Scans now; concurrent calls share one scan and trigger one more afterwards. */
  public async scan(): Promise<void> {
    if (this.scanning) {
      this.rescanAgain = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.rescanAgain = false;
        await this.scanOnce();
      } while (this.rescanAgain && !this.disposed);
    })().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** Stops watching. */
  public dispose(): void {
    this.disposed = true;
    this.closeWatchers();
    if (this.interval) clearInterval(this.interval);
    if (this.debounce) clearTimeout(this.debounce);
  }

  private scheduleScan(): void {
    if (this.disposed || this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.scan();
    }, SCAN_DEBOUNCE_MS);
  }

  private async scanOnce(): Promise<void> {
    const next = new Map<string, { folder: string; seenAt: number }>();
    for (const folder of this.folders) {
      let names: string[];
      try {
        names = await fs.readdir(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(folder, name);
        try {
          if (!(await fs.stat(path)).isSocket()) continue;
        } catch {
          continue;
        }
        next.set(path, this.found.get(path) ?? { folder, seenAt: Date.now() });
      }
    }
    if (this.disposed) return;
    this.found = next;
    this.publish();
  }

  private publish(): void {
    const list = [...this.found.entries()]
      .map(([path, { folder, seenAt }]) => ({ path, folder, seenAt, alreadyAdded: this.options.isAdded(path) }))
      .sort((a, b) => a.path.localeCompare(b.path));
    if (JSON.stringify(list) === JSON.stringify(this.list)) return;
    this.list = list;
    this.options.onChange(list);
  }

  private closeWatchers(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }
}
