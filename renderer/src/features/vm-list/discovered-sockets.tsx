/**
 * QMP sockets found in watched folders, each one click away from being a connection.
 */
import { useState } from 'react';
import { messageOf } from '../../state/monitor-store';
import { useMonitor, useStore } from '../../state/store-context';
import styles from './discovered-sockets.module.css';

/** The "Found sockets" section; hidden when nothing new was found. */
export function DiscoveredSockets() {
  const store = useStore();
  const discovered = useMonitor((s) => s.discovered);
  const [error, setError] = useState<string | null>(null);
  const fresh = discovered.filter((socket) => !socket.alreadyAdded);
  if (fresh.length === 0) return null;

  const add = async (path: string) => {
    setError(null);
    try {
      store.applySnapshot(await store.api.addVm({ target: path, autoConnect: true }), true);
    } catch (reason) {
      setError(`Could not add ${path}: ${messageOf(reason)}`);
    }
  };

  return (
    <section aria-labelledby="found-sockets-title" className={styles.section}>
      <h2 id="found-sockets-title" className={styles.title}>
        Found sockets
      </h2>
      <ul className={styles.list}>
        {fresh.map((socket) => (
          <li key={socket.path} className={styles.item}>
            <span className={styles.path} title={socket.path}>
              {socket.path}
            </span>
            <button type="button" aria-label={`Add ${socket.path}`} onClick={() => void add(socket.path)}>
              Add
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </section>
  );
}
