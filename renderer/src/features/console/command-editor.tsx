/**
 * The console's CodeMirror 6 editor: one command at a time, JSON or qmp-shell shorthand.
 *
 * Keys follow a terminal more than a text editor, because that is what a QMP console is:
 * Enter sends a one-line command, Shift+Enter adds a line, Ctrl/Cmd+Enter sends a command of
 * several lines, Up on the first line and Down on the last walk the history, Ctrl+R opens the
 * history search. An open completion list keeps Enter and the arrows for itself.
 *
 * CodeMirror writes its styles into `<style>` tags at run time; they carry this load's CSP
 * nonce (`EditorView.cspNonce`), so the page's policy never needs `'unsafe-inline'`. The
 * editable element is named "Command" for screen readers and tests.
 */
import { closeBrackets, closeBracketsKeymap, closeCompletion, completionStatus, selectedCompletion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, keymap, placeholder as placeholderText } from '@codemirror/view';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { pageStyleNonce } from './csp-nonce';
import styles from './console.module.css';

/** Which way Up/Down walks the history. */
export type HistoryDirection = 'older' | 'newer';

/** What the console does with the editor's keys. */
export interface CommandEditorProps {
  /** Sends the text (Enter on one line, Ctrl/Cmd+Enter on several). */
  readonly onSubmit: (text: string) => void;
  /** The text to show for Up/Down at the edge, or undefined to leave the editor alone. */
  readonly onHistory: (direction: HistoryDirection, current: string) => string | undefined;
  /** Ctrl+R: opens the history search. */
  readonly onSearchHistory: () => void;
  /** Called with the text after every change (for the signature line and the hints). */
  readonly onChange?: (text: string) => void;
  /** Schema-aware extras (completion, lint, hover); swapped without losing the text. */
  readonly extensions?: Extension;
  readonly placeholder?: string;
}

/** What the console can do to the editor. */
export interface CommandEditorHandle {
  /** Replaces the text, cursor at the end. */
  setText(text: string): void;
  getText(): string;
  focus(): void;
}

/** Colours from the app's theme variables, so light and dark both fit. */
const THEME = EditorView.theme({
  '&': { color: 'var(--text)', backgroundColor: 'var(--surface)', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-1px' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)', padding: '0.4rem 0' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--selected)' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface-raised)', color: 'var(--text)', border: '1px solid var(--border-strong)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--selected)', color: 'var(--text)' },
  '.cm-completionDetail': { color: 'var(--muted)', marginLeft: '0.6em', fontStyle: 'normal' },
  '.cm-completionInfo': { maxWidth: '28rem', whiteSpace: 'pre-wrap' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
});

/** True when the selected completion is the word already typed before the cursor. */
function completesNothing(editor: EditorView): boolean {
  const option = selectedCompletion(editor.state);
  if (!option) return true;
  const head = editor.state.selection.main.head;
  const before = editor.state.doc.sliceString(Math.max(0, head - 200), head);
  const word = /[\w.-]+$/.exec(before)?.[0] ?? '';
  const applied = typeof option.apply === 'string' ? option.apply : option.label;
  return word !== '' && (word === option.label || word === applied);
}

/** The editor; see {@link CommandEditorProps}. */
export const CommandEditor = forwardRef<CommandEditorHandle, CommandEditorProps>(function CommandEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const extras = useRef(new Compartment());
  // The keymap is built once; it reads the newest callbacks through this ref.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    if (!host.current) return;
    const send = (editor: EditorView): boolean => {
      const text = editor.state.doc.toString();
      if (text.trim() !== '') latest.current.onSubmit(text);
      return true;
    };
    const walk = (direction: HistoryDirection) => (editor: EditorView): boolean => {
      if (completionStatus(editor.state) !== null) return false;
      const { state } = editor;
      const line = state.doc.lineAt(state.selection.main.head).number;
      if (direction === 'older' ? line !== 1 : line !== state.doc.lines) return false;
      const text = latest.current.onHistory(direction, state.doc.toString());
      if (text === undefined) return false;
      editor.dispatch({ changes: { from: 0, to: state.doc.length, insert: text }, selection: { anchor: text.length } });
      return true;
    };
    const consoleKeys = keymap.of([
      {
        key: 'Enter',
        run: (editor) => {
          if (completionStatus(editor.state) === 'active') {
            // A list offering exactly what is typed must not cost a second Enter.
            if (!completesNothing(editor)) return false;
            closeCompletion(editor);
          }
          return editor.state.doc.lines > 1 ? false : send(editor);
        },
      },
      { key: 'Shift-Enter', run: insertNewlineAndIndent },
      { key: 'Mod-Enter', run: send },
      { key: 'ArrowUp', run: walk('older') },
      { key: 'ArrowDown', run: walk('newer') },
      {
        key: 'Ctrl-r',
        run: () => {
          latest.current.onSearchHistory();
          return true;
        },
      },
    ]);
    const nonce = pageStyleNonce();
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: '',
        extensions: [
          ...(nonce !== undefined ? [EditorView.cspNonce.of(nonce)] : []),
          EditorView.contentAttributes.of({ 'aria-label': 'Command', 'aria-multiline': 'true', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
          EditorView.lineWrapping,
          history(),
          drawSelection(),
          bracketMatching(),
          closeBrackets(),
          json(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          placeholderText(latest.current.placeholder ?? ''),
          THEME,
          // Before the extras: Enter must see an open completion list before the list's own keymap does.
          Prec.highest(consoleKeys),
          extras.current.of(latest.current.extensions ?? []),
          keymap.of([...closeBracketsKeymap, ...historyKeymap, ...defaultKeymap]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: extras.current.reconfigure(props.extensions ?? []) });
  }, [props.extensions]);

  useImperativeHandle(
    ref,
    () => ({
      setText(text: string) {
        const editor = view.current;
        if (!editor) return;
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text }, selection: { anchor: text.length } });
      },
      getText: () => view.current?.state.doc.toString() ?? '',
      focus: () => view.current?.focus(),
    }),
    [],
  );

  return <div ref={host} className={styles.editor} />;
});
