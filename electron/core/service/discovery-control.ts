/**
 * Discovery wired to settings: which folders to watch, and persisting the user's choice.
 *
 * Default folders are `<dataDir>/sockets` (created, so users have an obvious place to point
 * `-qmp unix:` at) and `$XDG_RUNTIME_DIR` when set.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { DiscoveredSocket } from '../../common/models';
import { SocketDiscovery } from '../vm/discovery';
import { fsErrorReason } from '../vm/fs-error-text';
import { SettingsStore } from '../vm/settings-store';

/** The folder created for sockets in the data directory. */
export function socketsFolder(dataDir: string): string {
  return join(dataDir, 'sockets');
}

/** Discovery as the service uses it. */
export interface DiscoveryControl {
  readonly folders: readonly string[];
  readonly sockets: readonly DiscoveredSocket[];
  /** Saves and applies new folders; returns them. */
  setFolders(folders: readonly string[]): Promise<readonly string[]>;
  refreshAdded(): void;
  dispose(): void;
  /** Resolves once settings writes are done. */
  idle(): Promise<void>;
}

/** Loads settings and starts watching; notices about a corrupt settings file go to `notices`. */
export async function createDiscovery(options: {
  readonly dataDir: string;
  readonly isAdded: (path: string) => boolean;
  readonly onChange: (sockets: readonly DiscoveredSocket[]) => void;
  readonly notices: string[];
  /** The data folder cannot be written: keep folder changes in memory. */
  readonly savingDisabled?: boolean;
  readonly rescanMs?: number;
}): Promise<DiscoveryControl> {
  const settings = new SettingsStore(options.dataDir);
  if (options.savingDisabled) settings.disableSaving();
  const notice = await settings.load();
  if (notice) options.notices.push(notice);
  const sockets = socketsFolder(options.dataDir);
  const defaults = [...((await createSocketsFolder(sockets, options.notices)) ? [sockets] : []), ...(process.env.XDG_RUNTIME_DIR ? [process.env.XDG_RUNTIME_DIR] : [])];
  let folders: readonly string[] = settings.value.discoveryFolders ?? defaults;
  const discovery = new SocketDiscovery({
    onChange: options.onChange,
    isAdded: options.isAdded,
    ...(options.rescanMs !== undefined ? { rescanMs: options.rescanMs } : {}),
  });
  await discovery.setFolders(folders);
  return {
    get folders() {
      return folders;
    },
    get sockets() {
      return discovery.sockets;
    },
    async setFolders(next) {
      const unique = [...new Set(next)];
      // Saved first: a failed save leaves the watched folders as they were, as shown.
      await settings.update({ discoveryFolders: unique });
      folders = unique;
      await discovery.setFolders(folders);
      return folders;
    },
    refreshAdded: () => discovery.refreshAdded(),
    dispose: () => discovery.dispose(),
    idle: () => settings.idle(),
  };
}

/** Creates the default sockets folder; when it cannot be, says so and watches one folder less. */
async function createSocketsFolder(path: string, notices: string[]): Promise<boolean> {
  try {
    await fs.mkdir(path, { recursive: true });
    return true;
  } catch (error) {
    notices.push(`${path} is not watched for QMP sockets: it could not be created (${fsErrorReason(error)}).`);
    return false;
  }
}
