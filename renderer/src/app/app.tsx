/**
 * The window layout: banner (with the Status / Timeline tabs), VM sidebar, main area, and a
 * polite live region.
 *
 * The shell carries the attribute dialogs use to make it inert while they are open. The
 * sidebar can be resized (a keyboard-accessible splitter) and hidden; both are remembered, so
 * a small window (800×600) can give the status panel the room it needs.
 */
import type { CSSProperties } from 'react';
import { useMonitor } from '../state/store-context';
import { APP_SHELL_ATTRIBUTE } from '../ui/dialog';
import { Splitter } from '../ui/splitter';
import { TimelineProvider } from '../features/timeline/timeline-context';
import { MainArea, Sidebar } from './composed-features';
import styles from './app.module.css';
import { StartupNotices } from './startup-notices';
import { useSidebarLayout } from './use-sidebar-layout';
import { CoreLinkBanner } from './core-link-banner';
import { TimelineProgress } from '../features/timeline/timeline-progress';
import { MAIN_PANEL_ID, ViewTabs, tabId } from './view-tabs';
import hidden from '../ui/visually-hidden.module.css';

const SIDEBAR_ID = 'vm-sidebar';

/** The whole UI once the core has answered. */
export function App() {
  const appInfo = useMonitor((s) => s.appInfo);
  const view = useMonitor((s) => s.view);
  const announcement = useMonitor((s) => s.announcement);
  const sidebar = useSidebarLayout();
  const shellProps = { [APP_SHELL_ATTRIBUTE]: '' };
  const bodyStyle = { '--sidebar-width': `${sidebar.width}px` } as CSSProperties;
  return (
    <div className={styles.shell} {...shellProps}>
      <header className={styles.banner}>
        <h1 className={styles.appName}>QMP Monitor</h1>
        {appInfo && (
          <span className={styles.meta}>
            v{appInfo.version} · {appInfo.host === 'web' ? 'browser' : 'desktop'}
          </span>
        )}
        <ViewTabs />
        <button
          type="button"
          className={styles.sidebarToggle}
          aria-controls={SIDEBAR_ID}
          aria-expanded={!sidebar.collapsed}
          onClick={() => sidebar.setCollapsed(!sidebar.collapsed)}
        >
          {sidebar.collapsed ? 'Show sidebar' : 'Hide sidebar'}
        </button>
      </header>
      <CoreLinkBanner />
      {/* History loading after a start or reload, and catching up, show on every view: the timeline has its own. */}
      {view !== 'timeline' && (
        <div className={styles.progressBanner}>
          <TimelineProgress />
        </div>
      )}
      {appInfo && <StartupNotices notices={appInfo.notices} />}
      <div className={sidebar.collapsed ? `${styles.body} ${styles.collapsed}` : styles.body} style={bodyStyle}>
        <Sidebar id={SIDEBAR_ID} hidden={sidebar.collapsed} />
        {!sidebar.collapsed && (
          <Splitter label="Resize sidebar" controls={SIDEBAR_ID} value={sidebar.width} min={sidebar.min} max={sidebar.max} onChange={sidebar.setWidth} />
        )}
        <div role="tabpanel" id={MAIN_PANEL_ID} aria-labelledby={tabId(view)} className={styles.mainPanel}>
          <TimelineProvider>
            <MainArea />
          </TimelineProvider>
        </div>
      </div>
      <div aria-live="polite" className={hidden.visuallyHidden}>
        {announcement}
      </div>
    </div>
  );
}
