/**
 * What the core had to tell at start-up (e.g. a corrupt connections file kept aside), each
 * with a Dismiss button.
 *
 * A notice is worth reading once; left in place it would take a strip of a small window for
 * the whole session. Dismissing is for this page: the core repeats its notices on the next
 * start, when they may matter again.
 */
import { useId, useState } from 'react';
import { flushSync } from 'react-dom';
import { focusFirstMatch } from '../ui/focus-after-removal';
import styles from './app.module.css';

/** The notices not yet dismissed, as a labelled list; nothing once all are dismissed. */
export function StartupNotices({ notices }: { readonly notices: readonly string[] }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = notices.filter((notice) => !dismissed.has(notice));
  if (shown.length === 0) return null;
  return (
    <ul className={styles.notices} aria-label="Notices">
      {shown.map((notice) => (
        <Notice
          key={notice}
          text={notice}
          onDismiss={() => {
            // Committed at once, so focus moves in the same task as the removal and never
            // rests on <body> in between.
            flushSync(() => setDismissed((before) => new Set(before).add(notice)));
            // The next notice's Dismiss, else the start of the page's content.
            focusFirstMatch(['[aria-label="Notices"] button', 'header button']);
          }}
        />
      ))}
    </ul>
  );
}

function Notice({ text, onDismiss }: { readonly text: string; readonly onDismiss: () => void }) {
  const id = useId();
  return (
    <li className={styles.notice}>
      <span id={id} className={styles.noticeText}>
        {text}
      </span>
      <button type="button" aria-describedby={id} onClick={onDismiss}>
        Dismiss
      </button>
    </li>
  );
}
