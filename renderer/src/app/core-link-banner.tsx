/**
 * Says when the link to the core dropped, and what the app is doing about it.
 *
 * The web bridge reconnects by itself and then catches up by seq, so the banner counts down to
 * the next try and then says it is catching up; only when no retry is coming (another API
 * version, or a closed page) does it offer a reload. Until caught up, what is shown is marked
 * as no longer live.
 */
import { useMonitor } from '../state/store-context';
import { useNow } from '../lib/use-now';
import styles from './app.module.css';

/** The "connection to the core lost" alert, or nothing while live. */
export function CoreLinkBanner() {
  const coreLost = useMonitor((s) => s.coreLost);
  const reconnecting = useMonitor((s) => s.reconnecting);
  const now = useNow(reconnecting?.nextRetryAt != null);
  if (coreLost === null) return null;
  let progress: string;
  if (reconnecting?.catchingUp) progress = 'Reconnected; catching up on what happened meanwhile…';
  else if (reconnecting?.nextRetryAt != null) {
    const seconds = Math.max(0, Math.ceil((reconnecting.nextRetryAt - now) / 1000));
    progress = `Reconnecting ${seconds > 0 ? `in ${seconds} s` : 'now'} (attempt ${reconnecting.attempt}).`;
  } else progress = '';
  return (
    <div role="alert" className={styles.coreLost}>
      Lost the connection to QMP Monitor ({coreLost}); what you see is no longer live. {progress}
      {reconnecting === null && (
        <>
          {' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </>
      )}
    </div>
  );
}
