/**
 * Connect/Disconnect, Edit and Remove for the selected VM's saved connection.
 */
import { useState, type ReactNode } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { isSupervised } from '../../lib/connection-text';
import { displayName } from '../../state/monitor-state';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { focusAfterRemoval } from '../../ui/focus-after-removal';
import styles from './status-panel.module.css';

/** Renders the edit dialog for `vm` (another feature's, composed by the app). */
export type EditDialogSlot = (vm: VmSnapshot, onClose: () => void) => ReactNode;

/** A labelled group of connection buttons, with request failures shown as an alert. */
export function ConnectionControls({ vm, editDialog }: { readonly vm: VmSnapshot; readonly editDialog: EditDialogSlot }) {
  const store = useStore();
  const [dialog, setDialog] = useState<'edit' | 'remove' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = vm.config.id;
  const supervised = isSupervised(vm.connection);

  const run = async (request: () => Promise<void>) => {
    setError(null);
    setPending(true);
    try {
      await request();
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setPending(false);
    }
  };
  const connect = () => run(() => store.connectVm(id));
  const disconnect = () => run(() => store.disconnectVm(id));

  return (
    <div className={styles.connectionControls}>
      <div role="group" aria-label="Connection actions" className={styles.buttonRow}>
        {supervised ? (
          <button type="button" disabled={pending} onClick={() => void disconnect()}>
            Disconnect
          </button>
        ) : (
          <button type="button" disabled={pending} onClick={() => void connect()}>
            Connect
          </button>
        )}
        <button type="button" onClick={() => setDialog('edit')}>
          Edit
        </button>
        <button type="button" onClick={() => setDialog('remove')}>
          Remove
        </button>
      </div>
      {error && (
        <p role="alert" className={styles.alert}>
          {error}
        </p>
      )}
      {dialog === 'edit' && editDialog(vm, () => setDialog(null))}
      {dialog === 'remove' && (
        <ConfirmDialog
          title={`Remove ${displayName(vm)}?`}
          message={`The saved connection to ${vm.config.target} is forgotten and its socket closed. The VM itself keeps running.`}
          confirmLabel="Remove"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            void run(async () => {
              await store.removeVm(id);
              focusAfterRemoval(['[role="listbox"] [aria-selected="true"]', 'nav button']);
            });
          }}
        />
      )}
    </div>
  );
}
