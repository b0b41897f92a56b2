/**
 * The app-owned demo VM: a button to start it, progress while it starts, and why it stopped.
 *
 * When QEMU is not installed the button would only fail, so the install hint replaces it.
 */
import { useState } from 'react';
import { messageOf } from '../../state/monitor-store';
import { useMonitor, useStore } from '../../state/store-context';
import styles from './demo-status.module.css';

/** Full block for the empty state, or a one-line status (`compact`) for the sidebar. */
export function DemoStatus({ compact = false }: { readonly compact?: boolean }) {
  const store = useStore();
  const demo = useMonitor((s) => s.demo);
  const appInfo = useMonitor((s) => s.appInfo);
  const [error, setError] = useState<string | null>(null);
  const [requested, setRequested] = useState(false);

  const start = async () => {
    setError(null);
    setRequested(true);
    try {
      await store.startDemo();
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setRequested(false);
    }
  };

  const qemuMissing = appInfo !== null && appInfo.qemuBinary === null;
  if (compact) {
    if (demo.status === 'absent' || demo.status === 'running') return null;
    return <p className={styles.compact}>Demo VM: {demoSentence(demo.status, demo.reason)}</p>;
  }
  if (qemuMissing || demo.status === 'unavailable') {
    return (
      <div className={styles.block}>
        <p>QEMU is not installed, so the demo VM cannot start.</p>
        <pre className={styles.hint}>{demo.installHint ?? appInfo?.qemuInstallHint ?? demo.reason}</pre>
      </div>
    );
  }
  const starting = requested || demo.status === 'starting';
  return (
    <div className={styles.block}>
      <button type="button" className={styles.start} onClick={() => void start()} disabled={starting} aria-busy={starting}>
        {starting ? 'Starting demo VM…' : 'Start demo VM'}
      </button>
      {starting && (
        <p role="status" className={styles.progress}>
          Starting a local QEMU (qemu-system-x86_64 -M pc -S)…
        </p>
      )}
      {demo.status === 'exited' && <p className={styles.reason}>Demo VM: {demoSentence(demo.status, demo.reason)}</p>}
      {error && (
        <p role="alert" className={styles.error}>
          Could not start the demo VM: {error}
        </p>
      )}
    </div>
  );
}

function demoSentence(status: string, reason: string | undefined): string {
  return reason ? `${status} (${reason})` : status;
}
