/**
 * The window layout: banner, VM sidebar, status panel, and a polite live region.
 *
 * The shell carries the attribute dialogs use to make it inert while they are open.
 */
import { useMonitor } from '../state/store-context';
import { APP_SHELL_ATTRIBUTE } from '../ui/dialog';
import { VmSidebar } from '../features/vm-list/vm-sidebar';
import { StatusPanel } from '../features/status/status-panel';
import styles from './app.module.css';

/** The whole UI once the core has answered. */
export function App() {
  const appInfo = useMonitor((s) => s.appInfo);
  const announcement = useMonitor((s) => s.announcement);
  const coreLost = useMonitor((s) => s.coreLost);
  const shellProps = { [APP_SHELL_ATTRIBUTE]: '' };
  return (
    <div className={styles.shell} {...shellProps}>
      <header className={styles.banner}>
        <h1 className={styles.appName}>QMP Monitor</h1>
        {appInfo && (
          <span className={styles.meta}>
            v{appInfo.version} · {appInfo.host === 'web' ? 'browser' : 'desktop'}
          </span>
        )}
      </header>
      {coreLost !== null && (
        <div role="alert" className={styles.coreLost}>
          Lost the connection to QMP Monitor ({coreLost}); what you see is no longer live.{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      )}
      {appInfo && appInfo.notices.length > 0 && (
        <ul className={styles.notices} aria-label="Notices">
          {appInfo.notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
      <div className={styles.body}>
        <VmSidebar />
        <StatusPanel />
      </div>
      <div aria-live="polite" className={styles.srOnly}>
        {announcement}
      </div>
    </div>
  );
}
