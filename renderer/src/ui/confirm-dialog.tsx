/**
 * Asks before an action that cannot be undone (reset, quit, remove).
 *
 * A plain `dialog` role (not `alertdialog`) keeps every modal findable the same way. The confirm
 * button carries the action's own name ("Reset", not "OK") so the choice reads
 * the same to a screen reader as on screen; Cancel gets focus first so Enter never destroys by accident.
 */
import { useId } from 'react';
import { Dialog } from './dialog';
import styles from './form.module.css';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** A yes/no question about a destructive action. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const messageId = useId();
  return (
    <Dialog title={title} onClose={onCancel} describedBy={messageId}>
      <p id={messageId}>{message}</p>
      <div className={styles.buttons}>
        <button type="button" onClick={onCancel} data-autofocus>
          Cancel
        </button>
        <button type="button" className={styles.danger} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
