/**
 * Setting one QOM property: the value typed as JSON (pre-filled with the value read), then a
 * confirmation naming the object, the property and the value (confirm-dialog.tsx), since
 * `qom-set` changes the running VM and cannot be undone by the app.
 */
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Dialog } from '../../ui/dialog';
import formStyles from '../../ui/form.module.css';

/** Props of {@link QomSetDialog}. */
export interface QomSetDialogProps {
  readonly path: string;
  readonly property: string;
  readonly type: string;
  /** The value last read, as JSON text, to start from. */
  readonly current: string | undefined;
  readonly onSet: (valueJson: string) => void;
  readonly onCancel: () => void;
}

/** Why `text` is not a JSON value, or undefined when it is one. */
export function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Type a value.';
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return 'Not JSON: write text in double quotes ("on"), numbers and true/false as they are.';
  }
}

/** Asks for the new value, then for confirmation. */
export function QomSetDialog({ path, property, type, current, onSet, onCancel }: QomSetDialogProps) {
  const [text, setText] = useState(current ?? '');
  const [confirming, setConfirming] = useState(false);
  const [touched, setTouched] = useState(false);
  const inputId = useId();
  const hintId = useId();
  const problem = jsonProblem(text);
  if (confirming) {
    return (
      <ConfirmDialog
        title="Set the property?"
        message={`qom-set ${property} of ${path} to ${text}. This changes the running VM.`}
        confirmLabel="Set"
        onConfirm={() => onSet(text)}
        onCancel={onCancel}
      />
    );
  }
  return (
    <Dialog title={`Set ${property}`} onClose={onCancel} describedBy={hintId}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (problem === undefined) setConfirming(true);
        }}
      >
        <div className={formStyles.field}>
          <label htmlFor={inputId}>{`New value (${type}, as JSON)`}</label>
          <input
            id={inputId}
            type="text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={touched && problem !== undefined}
            aria-describedby={hintId}
            data-autofocus
            spellCheck={false}
          />
          <span id={hintId} className={touched && problem ? formStyles.error : formStyles.hint}>
            {touched && problem ? problem : `Object ${path}. QEMU refuses properties that cannot change now and says why.`}
          </span>
        </div>
        <div className={formStyles.buttons}>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit">Set…</button>
        </div>
      </form>
    </Dialog>
  );
}
