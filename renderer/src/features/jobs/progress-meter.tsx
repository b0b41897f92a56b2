/**
 * A progress bar with an accessible name and value: the native `<progress>` (no inline
 * styles, so the CSP stays strict) with the ARIA values spelled out for every reader.
 */
import { percentDone } from './job-format';
import styles from './jobs.module.css';

/** `role="progressbar"` named `label`; indeterminate while the total is not known. */
export function ProgressMeter({ label, current, total, text }: { readonly label: string; readonly current: number; readonly total: number; readonly text: string }) {
  const percent = percentDone(current, total);
  return (
    <progress
      className={styles.progress}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
      max={100}
      {...(percent !== undefined ? { value: percent } : {})}
    />
  );
}
