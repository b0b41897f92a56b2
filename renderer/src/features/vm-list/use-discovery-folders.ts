/**
 * The folders the core watches for QMP sockets, read once and kept after each save.
 *
 * They live in the core's settings rather than the store because only the found-sockets
 * section and its dialog care, and the core is the only place that can change them.
 */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';

/** What {@link useDiscoveryFolders} gives a component. */
export interface DiscoveryFolders {
  /** The watched folders; null until read (or when reading failed). */
  readonly folders: readonly string[] | null;
  /** Why the folders could not be read, so nothing is saved over a list nobody saw. */
  readonly loadError: string | null;
  /** Saves `next` in the core; rejects with the core's reason and keeps the old list. */
  readonly save: (next: readonly string[]) => Promise<void>;
}

/** Reads the watched folders and offers a save that keeps the view in step with the core. */
export function useDiscoveryFolders(): DiscoveryFolders {
  const store = useStore();
  const [folders, setFolders] = useState<readonly string[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    store.readDiscoveryFolders().then(
      (read) => live && setFolders(read),
      (reason: unknown) => live && setLoadError(messageOf(reason)),
    );
    return () => {
      live = false;
    };
  }, [store]);

  const save = useCallback(
    async (next: readonly string[]) => {
      // The core de-duplicates and may normalise, so show what it kept rather than what was sent.
      setFolders(await store.saveDiscoveryFolders(next));
      setLoadError(null);
    },
    [store],
  );

  return { folders, loadError, save };
}
