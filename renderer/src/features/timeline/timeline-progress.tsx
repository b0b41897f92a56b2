/**
 * Says when the timeline is not yet the whole, current story: while the page loads the core's
 * history after a start or reload ("Loading history: 340,000 of 1,000,000", a progress bar), or
 * catches up from the core's log after falling behind in a flood ("Catching up: N events
 * behind", a status). Without it a lagging list would look like a quiet VM.
 */
import { useMonitor } from '../../state/store-context';
import type { FeedProgress } from '../../state/event-feed';
import styles from './timeline-progress.module.css';
import { groupedNumber } from '../../lib/format';

/** The indicator, or nothing while the page is current. */
export function TimelineProgress() {
  const progress = useMonitor((s) => s.eventProgress);
  if (progress === null) return null;
  return progress.kind === 'history' ? <HistoryProgress progress={progress} /> : <CatchingUp progress={progress} />;
}

function HistoryProgress({ progress }: { readonly progress: FeedProgress }) {
  const text = `Loading history: ${count(progress.loaded)} of ${count(progress.total)}`;
  return (
    <div
      className={styles.progress}
      role="progressbar"
      aria-label="Loading history"
      aria-valuemin={0}
      aria-valuemax={progress.total}
      aria-valuenow={progress.loaded}
      aria-valuetext={text}
    >
      <span>{text}</span>
      <progress className={styles.bar} aria-hidden="true" max={Math.max(1, progress.total)} value={progress.loaded} />
    </div>
  );
}

function CatchingUp({ progress }: { readonly progress: FeedProgress }) {
  const noun = progress.behind === 1 ? 'event' : 'events';
  return (
    <p className={styles.progress} role="status">
      {`Catching up: ${count(progress.behind)} ${noun} behind`}
    </p>
  );
}

function count(n: number): string {
  return groupedNumber(n);
}
