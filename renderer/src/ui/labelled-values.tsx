/**
 * Term/value pairs where each value is labelled by its term, so "Run state" finds its value.
 *
 * `<dd>` elements get `aria-labelledby` pointing at their `<dt>`: assistive tech and tests
 * (`getByLabel('Run state')`) reach the value by its visible name, not by position.
 */
import { useId, type ReactNode } from 'react';
import styles from './labelled-values.module.css';

/** A `<dl>` laid out as a two-column grid. */
export function ValueList({ children, label }: { readonly children: ReactNode; readonly label?: string }) {
  return (
    <dl className={styles.list} aria-label={label}>
      {children}
    </dl>
  );
}

/** One term and its value; `title` carries an exact form (e.g. bytes) for hover. */
export function LabelledValue({ term, children, title }: { readonly term: string; readonly children: ReactNode; readonly title?: string }) {
  const id = useId();
  return (
    <div className={styles.row}>
      <dt id={id} className={styles.term}>
        {term}
      </dt>
      <dd aria-labelledby={id} className={styles.value} title={title}>
        {children}
      </dd>
    </div>
  );
}

/** Muted text for a value QEMU could not give, with the reason. */
export function Unavailable({ reason }: { readonly reason: string }) {
  return <span className={styles.unavailable}>unavailable ({reason})</span>;
}
