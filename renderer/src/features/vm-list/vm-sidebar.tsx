/**
 * The navigation sidebar: the VM list, "Add connection", found sockets and the demo VM's state.
 */
import { useState, type ReactNode } from 'react';
import { ConnectionDialog } from './connection-dialog';
import { DiscoveredSockets } from './discovered-sockets';
import { VmListbox } from './vm-listbox';
import styles from './vm-sidebar.module.css';

/** Props of {@link VmSidebar}: the app shell's handle for its splitter and collapse button. */
export interface VmSidebarProps {
  readonly id?: string;
  /** Collapsed by the user: kept mounted (open dialogs, focus order) but not shown. */
  readonly hidden?: boolean;
  /** Shown under the lists (the app puts the demo VM's one-line status here). */
  readonly footer?: ReactNode;
}

/** `<nav aria-label="Virtual machines">` with everything needed to pick or add a VM. */
export function VmSidebar({ id, hidden = false, footer }: VmSidebarProps = {}) {
  const [adding, setAdding] = useState(false);
  return (
    <nav id={id} hidden={hidden} aria-label="Virtual machines" className={styles.sidebar}>
      <div className={styles.head}>
        <h2 className={styles.title}>Virtual machines</h2>
        <button type="button" onClick={() => setAdding(true)}>
          Add connection
        </button>
      </div>
      <VmListbox />
      <DiscoveredSockets />
      {footer}
      {adding && <ConnectionDialog onClose={() => setAdding(false)} />}
    </nav>
  );
}
