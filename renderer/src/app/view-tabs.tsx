/**
 * The views of the main area (Status, Timeline, Console, Wire, QOM) as tabs in the banner: one
 * click (or Tab then arrows) from anywhere, whichever VM is selected.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { MainView } from '../state/monitor-state';
import { useMonitor, useStore } from '../state/store-context';
import styles from './app.module.css';

/** The id of the panel the tabs control (the app puts the main area in it). */
export const MAIN_PANEL_ID = 'main-view';

const VIEWS: ReadonlyArray<{ readonly view: MainView; readonly label: string }> = [
  { view: 'status', label: 'Status' },
  { view: 'timeline', label: 'Timeline' },
  { view: 'console', label: 'Console' },
  { view: 'wire', label: 'Wire' },
  { view: 'qom', label: 'QOM' },
];

/** The id of a view's tab (the panel is labelled by the selected one). */
export const tabId = (view: MainView) => `view-tab-${view}`;

/** The tablist; arrows, Home and End move and select (automatic activation). */
export function ViewTabs() {
  const store = useStore();
  const current = useMonitor((s) => s.view);
  const refs = useRef<Partial<Record<MainView, HTMLButtonElement | null>>>({});
  const select = (view: MainView) => {
    store.showView(view);
    refs.current[view]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = VIEWS.findIndex((entry) => entry.view === current);
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: VIEWS.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    select(VIEWS[(target + VIEWS.length) % VIEWS.length]!.view);
  };
  return (
    <div role="tablist" aria-label="Views" className={styles.tabs} onKeyDown={onKeyDown}>
      {VIEWS.map(({ view, label }) => (
        <button
          key={view}
          ref={(element) => {
            refs.current[view] = element;
          }}
          type="button"
          role="tab"
          id={tabId(view)}
          aria-selected={current === view}
          aria-controls={MAIN_PANEL_ID}
          tabIndex={current === view ? 0 : -1}
          className={styles.tab}
          onClick={() => store.showView(view)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
