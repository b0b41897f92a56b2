/**
 * QMP sockets found in watched folders, each one click away from being a connection.
 *
 * The section stays visible when nothing is found, naming the watched folders, because "where
 * do I put the socket?" is exactly the question a user has when the list is empty.
 */
import { useState } from 'react';
import { messageOf } from '../../state/monitor-store';
import { useMonitor, useStore } from '../../state/store-context';
import { BreakableText } from '../../ui/breakable-text';
import styles from './discovered-sockets.module.css';
import { useDiscoveryFolders } from './use-discovery-folders';
import { WatchedFoldersDialog } from './watched-folders-dialog';

/** The "Found sockets" section with its watched-folders editor. */
export function DiscoveredSockets() {
  const store = useStore();
  const discovered = useMonitor((s) => s.discovered);
  const { folders, loadError, save } = useDiscoveryFolders();
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const fresh = discovered.filter((socket) => !socket.alreadyAdded);

  const add = async (path: string) => {
    setError(null);
    try {
      await store.addDiscovered(path);
    } catch (reason) {
      setError(`Could not add ${path}: ${messageOf(reason)}`);
    }
  };

  return (
    <section aria-labelledby="found-sockets-title" className={styles.section}>
      <div className={styles.head}>
        <h2 id="found-sockets-title" className={styles.title}>
          Found sockets
        </h2>
        <button type="button" className={styles.small} onClick={() => setEditing(true)}>
          Watched folders…
        </button>
      </div>
      {fresh.length === 0 ? (
        <EmptyHint folders={folders} />
      ) : (
        <ul className={styles.list}>
          {fresh.map((socket) => (
            <li key={socket.path} className={styles.item}>
              <span className={styles.path} title={socket.path}>
                <BreakableText text={socket.path} />
              </span>
              <button type="button" aria-label={`Add ${socket.path}`} onClick={() => void add(socket.path)}>
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {editing && <WatchedFoldersDialog current={folders} loadError={loadError} onSave={save} onClose={() => setEditing(false)} />}
    </section>
  );
}

/** One muted line saying where sockets are looked for. */
function EmptyHint({ folders }: { readonly folders: readonly string[] | null }) {
  if (folders === null) return <p className={styles.hint}>None yet.</p>;
  if (folders.length === 0) return <p className={styles.hint}>No folders are watched.</p>;
  const named = folders.map((folder, i) => (
    <span key={folder}>
      {i > 0 && (i === folders.length - 1 ? ' or ' : ', ')}
      <code className={styles.folder}>
        <BreakableText text={folder} />
      </code>
    </span>
  ));
  return <p className={styles.hint}>None yet. Sockets created in {named} appear here.</p>;
}
