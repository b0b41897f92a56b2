/**
 * Add or edit a saved connection: label, socket path or HOST:PORT, auto-connect.
 *
 * Only "is the target filled in" is checked here; whether the target is valid is the core's
 * call, and its refusal is shown verbatim under the form so nothing typed is lost.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { VmSnapshot } from '../../../../electron/common/models';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';
import { Dialog } from '../../ui/dialog';
import styles from '../../ui/form.module.css';

/** Props of {@link ConnectionDialog}: `editing` absent means "add". */
export interface ConnectionDialogProps {
  readonly editing?: VmSnapshot;
  /** Pre-filled target (e.g. a discovered socket). */
  readonly initialTarget?: string;
  readonly onClose: () => void;
}

/** The add/edit connection form in a modal dialog. */
export function ConnectionDialog({ editing, initialTarget, onClose }: ConnectionDialogProps) {
  const store = useStore();
  const ids = { label: useId(), target: useId(), targetError: useId(), auto: useId() };
  const [label, setLabel] = useState(editing?.config.label ?? '');
  const [target, setTarget] = useState(editing?.config.target ?? initialTarget ?? '');
  const [autoConnect, setAutoConnect] = useState(editing?.config.autoConnect ?? true);
  const [targetError, setTargetError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const targetRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(null);
    if (target.trim() === '') {
      setTargetError('Enter a socket path (e.g. /run/vm1/qmp.sock) or HOST:PORT.');
      targetRef.current?.focus();
      return;
    }
    setTargetError(null);
    setSaving(true);
    try {
      const params = { label: label.trim(), target: target.trim(), autoConnect };
      await store.saveConnection(params, editing?.config.id);
      onClose();
    } catch (error) {
      setSubmitError(messageOf(error));
      setSaving(false);
    }
  };

  return (
    <Dialog title={editing ? 'Edit connection' : 'Add connection'} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <div className={styles.field}>
          <label htmlFor={ids.label}>Label</label>
          <input id={ids.label} type="text" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <div className={styles.field}>
          <label htmlFor={ids.target}>Socket path or HOST:PORT</label>
          <input
            ref={targetRef}
            id={ids.target}
            type="text"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-invalid={targetError !== null}
            aria-describedby={targetError ? ids.targetError : undefined}
            required
            spellCheck={false}
            autoCapitalize="off"
          />
          {targetError && (
            <span id={ids.targetError} className={styles.error}>
              {targetError}
            </span>
          )}
        </div>
        <div className={styles.check}>
          <input id={ids.auto} type="checkbox" checked={autoConnect} onChange={(e) => setAutoConnect(e.target.checked)} />
          <label htmlFor={ids.auto}>Auto-connect</label>
        </div>
        {submitError && (
          <p role="alert" className={styles.error}>
            {submitError}
          </p>
        )}
        <div className={styles.buttons}>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={styles.primary} disabled={saving}>
            {editing ? 'Save' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
