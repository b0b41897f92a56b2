/**
 * The navigation sidebar: the VM list, "Add connection", found sockets and the demo VM's state.
 */
import { useState } from 'react';
import { DemoStatus } from '../demo/demo-status';
import { ConnectionDialog } from './connection-dialog';
import { DiscoveredSockets } from './discovered-sockets';
import { VmListbox } from './vm-listbox';
import styles from './vm-sidebar.module.css';

/** `<nav aria-label="Virtual machines">` with everything needed to pick or add a VM. */
export function VmSidebar() {
  const [adding, setAdding] = useState(false);
  return (
    <nav aria-label="Virtual machines" className={styles.sidebar}>
      <div className={styles.head}>
        <h2 className={styles.title}>Virtual machines</h2>
        <button type="button" onClick={() => setAdding(true)}>
          Add connection
        </button>
      </div>
      <VmListbox />
      <DiscoveredSockets />
      <DemoStatus compact />
      {adding && <ConnectionDialog onClose={() => setAdding(false)} />}
    </nav>
  );
}
