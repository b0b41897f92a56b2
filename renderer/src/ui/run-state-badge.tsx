/**
 * QEMU's run state as a coloured dot plus its word, so colour is never the only signal.
 */
import type { RunState } from '../../../electron/common/models';
import styles from './run-state-badge.module.css';

type Tone = 'ok' | 'warn' | 'danger' | 'neutral';

const TONES: Readonly<Record<string, Tone>> = {
  running: 'ok',
  paused: 'warn',
  prelaunch: 'warn',
  suspended: 'warn',
  inmigrate: 'warn',
  postmigrate: 'warn',
  'save-vm': 'warn',
  'restore-vm': 'warn',
  debug: 'warn',
  'finish-migrate': 'warn',
  colo: 'warn',
  watchdog: 'danger',
  shutdown: 'danger',
  'guest-panicked': 'danger',
  'internal-error': 'danger',
  'io-error': 'danger',
};

/** The colour family for a QEMU RunState value (unknown values stay neutral). */
export function runStateTone(status: string | undefined): Tone {
  return (status !== undefined && TONES[status]) || 'neutral';
}

/** Dot + text; `stale` dims it when the connection is down and the value is only the last known. */
export function RunStateBadge({ runState, stale = false }: { readonly runState: RunState | undefined; readonly stale?: boolean }) {
  const status = runState?.status ?? 'unknown';
  return (
    <span className={`${styles.badge} ${styles[runStateTone(runState?.status)] ?? ''} ${stale ? styles.stale : ''}`}>
      <span className={styles.dot} aria-hidden="true" />
      {status}
    </span>
  );
}
