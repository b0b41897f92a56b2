/**
 * What the main region shows before any VM exists: a way to get one in a single click.
 */
import { DemoStatus } from './demo-status';
import styles from './demo-status.module.css';

/** Welcome text plus the demo VM controls (or the QEMU install hint). */
export function EmptyState() {
  return (
    <section aria-labelledby="empty-title" className={styles.empty}>
      <h2 id="empty-title">No virtual machines yet</h2>
      <p>
        Add a connection to a running QEMU's QMP socket (a path such as <code>/run/vm1/qmp.sock</code> or{' '}
        <code>HOST:PORT</code>), or start a local demo VM to look around.
      </p>
      <DemoStatus />
    </section>
  );
}
