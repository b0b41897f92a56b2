/**
 * Chooses the folders watched for QMP sockets: a draft list edited freely, saved in one go.
 *
 * Editing a draft (rather than saving each click) means Cancel and Esc really undo, and the
 * core's refusal of a save leaves the draft and the typed text in place to fix.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { messageOf } from '../../state/monitor-store';
import { Dialog } from '../../ui/dialog';
import form from '../../ui/form.module.css';
import { folderPathProblem, normaliseFolderPath } from './folder-path';
import styles from './watched-folders-dialog.module.css';

/** Props of {@link WatchedFoldersDialog}. */
export interface WatchedFoldersDialogProps {
  /** The folders now watched; null when they could not be read. */
  readonly current: readonly string[] | null;
  readonly loadError: string | null;
  readonly onSave: (folders: readonly string[]) => Promise<void>;
  readonly onClose: () => void;
}

/** The "Watched folders" modal dialog. */
export function WatchedFoldersDialog({ current, loadError, onSave, onClose }: WatchedFoldersDialogProps) {
  const ids = { intro: useId(), path: useId(), pathError: useId() };
  const [draft, setDraft] = useState<readonly string[]>(current ?? []);
  const [typed, setTyped] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // Index of a removed row, so focus lands on its neighbour instead of falling to <body>.
  /** Where a Remove click left the list, so focus can go to the next button once it re-rendered. */
  const removedAt = useRef<number | null>(null);
  const edited = useRef(false);

  // Opened before the first read finished: show the folders when they come, unless already edited.
  useEffect(() => {
    if (current && !edited.current) setDraft(current);
  }, [current]);

  useEffect(() => {
    const at = removedAt.current;
    if (at === null) return;
    removedAt.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [];
    (buttons[Math.min(at, buttons.length - 1)] ?? inputRef.current)?.focus();
  });

  /** Adds the typed path to the draft; returns the new draft, or null when it was refused. */
  const addTyped = (): readonly string[] | null => {
    const path = normaliseFolderPath(typed);
    const problem = folderPathProblem(path, draft);
    if (problem) {
      setPathError(problem);
      inputRef.current?.focus();
      return null;
    }
    const next = [...draft, path];
    edited.current = true;
    setDraft(next);
    setTyped('');
    setPathError(null);
    return next;
  };

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    addTyped();
    inputRef.current?.focus();
  };

  const remove = (index: number) => {
    edited.current = true;
    removedAt.current = index;
    setDraft(draft.filter((_, i) => i !== index));
  };

  const save = async () => {
    setSaveError(null);
    // A path typed but not yet added is almost always meant to be saved too.
    const folders = typed.trim() === '' ? draft : addTyped();
    if (!folders) return;
    setSaving(true);
    try {
      await onSave(folders);
      onClose();
    } catch (reason) {
      setSaveError(messageOf(reason));
      setSaving(false);
    }
  };

  return (
    <Dialog title="Watched folders" onClose={onClose} describedBy={ids.intro}>
      <p id={ids.intro} className={form.hint}>
        A QMP socket created in one of these folders is offered under “Found sockets”.
      </p>
      {loadError !== null && (
        <p role="alert" className={form.error}>
          Could not read the watched folders: {loadError}
        </p>
      )}
      {draft.length === 0 ? (
        <p className={styles.empty}>No folders are watched, so no sockets will be found.</p>
      ) : (
        <ul ref={listRef} className={styles.list} aria-label="Folders">
          {draft.map((folder, index) => (
            <li key={folder} className={styles.item}>
              <span className={styles.path}>{folder}</span>
              <button type="button" aria-label={`Remove ${folder}`} onClick={() => remove(index)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onAdd} noValidate className={styles.add}>
        <div className={form.field}>
          <label htmlFor={ids.path}>Folder path</label>
          <div className={styles.addRow}>
            <input
              ref={inputRef}
              id={ids.path}
              type="text"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-invalid={pathError !== null}
              aria-describedby={pathError ? ids.pathError : undefined}
              placeholder="/run/user/1000/vms"
              spellCheck={false}
              autoCapitalize="off"
              data-autofocus
            />
            <button type="submit">Add folder</button>
          </div>
          {pathError && (
            <span id={ids.pathError} className={form.error}>
              {pathError}
            </span>
          )}
        </div>
      </form>
      {saveError && (
        <p role="alert" className={form.error}>
          {saveError}
        </p>
      )}
      <div className={form.buttons}>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className={form.primary} onClick={() => void save()} disabled={saving || current === null}>
          Save
        </button>
      </div>
    </Dialog>
  );
}
