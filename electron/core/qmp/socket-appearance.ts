/**
 * Notices a unix socket file (re)appearing, so a restarted QEMU is picked up at once.
 *
 * Backoff alone makes a VM that was down for minutes wait up to the backoff cap after it is
 * back; QEMU binds its socket file when it starts listening, so the folder's change is the
 * cue. Best effort by design: a missing folder or a failing watch just leaves the backoff.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onAppear` (at most once) when a file named like `socketPath` shows up in its folder.
 *
 * Returns a function that stops watching; it is safe to call more than once.
 */
export function watchForSocket(socketPath: string, onAppear: () => void): () => void {
  const name = basename(socketPath);
  let watcher: FSWatcher | undefined;
  const stop = (): void => {
    const current = watcher;
    watcher = undefined;
    current?.close();
  };
  try {
    // Not persistent: a pending reconnect must not keep a CLI process alive by itself.
    watcher = watch(dirname(socketPath), { persistent: false }, (event, filename) => {
      // Creation is a 'rename'; writes to a file that exists ('change') are no news. A null
      // filename (some platforms) means "something changed": the path itself is checked.
      if (watcher && event === 'rename' && (filename === null || filename === name) && existsSync(socketPath)) {
        stop();
        onAppear();
      }
    });
    watcher.on('error', stop);
  } catch {
    // No such folder (yet), no permission, out of inotify watches: the backoff still runs.
    watcher = undefined;
  }
  return stop;
}
