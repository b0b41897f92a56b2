/**
 * The last few QMP events of one VM, newest first: QEMU's timestamp, the name, the data.
 *
 * A glance at what just happened to this VM; "Show in timeline" opens the full timeline on it.
 */
import { useMemo } from 'react';
import { recentEventsFor } from '../../state/event-buffer';
import { useMonitor, useStore } from '../../state/store-context';
import { formatQemuTime, isoQemuTime } from '../../lib/format';
import { eventsPerSecond } from '../../lib/event-rate';
import { useNow } from '../../lib/use-now';
import { BreakableText } from '../../ui/breakable-text';
import { Sparkline } from '../../ui/sparkline';
import styles from './status-panel.module.css';
import ownStyles from './recent-events.module.css';

const SHOWN = 12;
const WINDOW_SECONDS = 60;

/** "Recent events" section for `vmId`. */
export function RecentEvents({ vmId }: { readonly vmId: string }) {
  const store = useStore();
  const events = useMonitor((s) => s.events);
  const recent = useMemo(() => recentEventsFor(events, vmId, SHOWN), [events, vmId]);
  const now = useNow(true);
  const arrivals = useMonitor((s) => s.arrivals[vmId]);
  const rate = useMemo(() => eventsPerSecond(arrivals, now, WINDOW_SECONDS), [arrivals, now]);
  const total = rate.reduce((sum, n) => sum + n, 0);
  return (
    <section aria-labelledby="recent-events-title" className={styles.section}>
      <div className={styles.sectionHead}>
        <h3 id="recent-events-title">Recent events</h3>
        <span className={styles.rate}>
          <span aria-hidden="true">{total} in {WINDOW_SECONDS} s</span>
          <Sparkline values={rate} label={`${total} ${total === 1 ? 'event' : 'events'} in the last ${WINDOW_SECONDS} s`} />
        </span>
        <button type="button" className={ownStyles.showInTimeline} onClick={() => store.showTimelineFor(vmId)}>
          Show in timeline
        </button>
      </div>
      {recent.length === 0 ? (
        <p className={styles.muted}>No events yet.</p>
      ) : (
        <ol className={styles.events} aria-label="Recent events, newest first">
          {recent.map((event) => (
            <li key={event.seq} className={styles.event}>
              <time dateTime={isoQemuTime(event.timestamp)} title={isoQemuTime(event.timestamp)} className={styles.mono}>
                {formatQemuTime(event.timestamp)}
              </time>
              <span className={styles.eventName}>{event.event}</span>
              <span className={`${styles.mono} ${styles.eventData}`}>
                {/* The data's text as the core keeps it (QEMU's own, as sent), shown as it came: no parse, no re-print. */}
                <BreakableText text={event.dataJson ?? ''} after="," />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
