/**
 * A modal dialog: labelled by its title, focus kept inside, Esc closes, focus goes back.
 *
 * Rendered into `document.body` with the app shell made `inert` while open, so the page behind
 * cannot be reached by Tab, by a screen reader, or by a role query in tests. The Tab trap below
 * still covers environments without `inert`.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import styles from './dialog.module.css';

/** The element marked with this attribute is made inert while a dialog is open. */
export const APP_SHELL_ATTRIBUTE = 'data-app-shell';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Props of {@link Dialog}. */
export interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Described-by text id, when the body has a sentence explaining the choice. */
  readonly describedBy?: string;
  /** `wide` for content that needs the window's width (the enlarged VM screen). */
  readonly size?: 'wide';
}

/** A modal dialog box; mount it to open, unmount it to close. */
export function Dialog({ title, onClose, children, describedBy, size }: DialogProps) {
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  // Kept current after each render (not during it), for handlers that outlive a render.
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const shell = document.querySelector<HTMLElement>(`[${APP_SHELL_ATTRIBUTE}]`);
    shell?.setAttribute('inert', '');
    // inert already hides it from assistive tech in browsers; aria-hidden says so to tools too.
    shell?.setAttribute('aria-hidden', 'true');
    const box = boxRef.current;
    const first = box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box)?.focus();
    return () => {
      shell?.removeAttribute('inert');
      shell?.removeAttribute('aria-hidden');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !boxRef.current) return;
    const focusable = [...boxRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className={styles.backdrop}>
      <div
        ref={boxRef}
        className={size === 'wide' ? `${styles.box} ${styles.wide}` : styles.box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
