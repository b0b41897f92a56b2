/**
 * One console command paired with its answer: the text as typed, then the reply as a JSON
 * tree (or HMP's text), its duration, or QEMU's error class and description.
 *
 * Success and failure differ in colour, in a word ("returned" / "error") and in role (a
 * failure is a group named by its class), so neither colour alone nor a screen reader misses
 * it. Events that arrived while the command ran are not mixed in: a count links to the
 * timeline, which shows them in order.
 */
import { memo } from 'react';
import type { ConsoleEntry } from '../../state/console-state';
import type { EventWindow } from '../../state/event-buffer';
import { JsonTree } from '../../ui/json-tree';
import { formatClock, hmpText } from './console-format';
import styles from './console.module.css';

/** Props of {@link ConsoleEntryView}. */
export interface ConsoleEntryProps {
  readonly entry: ConsoleEntry;
  /** How many of the VM's events arrived while it ran (undefined while it runs). */
  readonly eventsMeanwhile: number | undefined;
  /** Opens the timeline on this VM. */
  readonly onShowEvents: () => void;
}

/** The pair; memoised, so a new entry does not re-render a 50 MB reply above it. */
export const ConsoleEntryView = memo(function ConsoleEntryView({ entry, eventsMeanwhile, onShowEvents }: ConsoleEntryProps) {
  const { result } = entry;
  const title = `${entry.mode === 'hmp' ? 'HMP' : 'QMP'} ${entry.command === 'human-monitor-command' && entry.mode === 'hmp' ? entry.text.trim() : entry.command}`;
  return (
    <article className={styles.entry} aria-label={`${title} sent at ${formatClock(entry.sentAt)}`}>
      <div className={styles.sent}>
        <span className={styles.prompt} aria-hidden="true">
          {entry.mode === 'hmp' ? '(hmp)' : entry.oob ? '!' : '›'}
        </span>
        <code className={styles.sentText}>{entry.text}</code>
        <span className={styles.time}>{formatClock(entry.sentAt)}</span>
      </div>
      {result === undefined ? (
        <p className={styles.running} role="status">
          Waiting for QEMU…
        </p>
      ) : result.ok ? (
        <div className={styles.reply}>
          <p className={styles.okLine}>
            <span className={styles.okWord}>returned</span> in {result.durationMs.toLocaleString('en', { maximumFractionDigits: 1 })} ms
            {eventsMeanwhile !== undefined && eventsMeanwhile > 0 && <EventsLink count={eventsMeanwhile} onClick={onShowEvents} />}
          </p>
          {entry.mode === 'hmp' ? (
            <pre className={styles.hmp} aria-label={`Output of ${entry.text.trim()}`}>
              {hmpText(result.returnJson)}
            </pre>
          ) : (
            <JsonTree json={result.returnJson} wholeText={result.returnJson} wholeName="reply" label={`Reply to ${entry.command}`} expandDepth={2} />
          )}
        </div>
      ) : (
        <div className={styles.failure} role="group" aria-label={`Error ${result.errorClass}`}>
          <p className={styles.errorLine}>
            <span className={styles.errorWord}>error</span> <strong className={styles.errorClass}>{result.errorClass}</strong> after{' '}
            {result.durationMs.toLocaleString('en', { maximumFractionDigits: 1 })} ms
            {eventsMeanwhile !== undefined && eventsMeanwhile > 0 && <EventsLink count={eventsMeanwhile} onClick={onShowEvents} />}
          </p>
          <p className={styles.errorDesc}>{result.desc}</p>
        </div>
      )}
    </article>
  );
});

function EventsLink({ count, onClick }: { readonly count: number; readonly onClick: () => void }) {
  return (
    <button type="button" className={styles.eventsLink} onClick={onClick}>
      {`${count} event${count === 1 ? '' : 's'} meanwhile: show in timeline`}
    </button>
  );
}

/** Most events looked at per count, so a flood cannot make one render slow. */
const COUNT_SCAN_LIMIT = 50_000;

/**
 * How many of `vmId`'s QEMU events (not the app's markers) arrived between `from` and `to`
 * (epoch ms), scanning back from the newest held event.
 */
export function eventsDuring(events: EventWindow, vmId: string, from: number, to: number): number {
  let count = 0;
  for (let index = events.length - 1, scanned = 0; index >= 0 && scanned < COUNT_SCAN_LIMIT; index--, scanned++) {
    const event = events.at(index);
    if (!event) break;
    if (event.receivedAt < from) break;
    if (event.receivedAt <= to && event.vmId === vmId && event.marker === undefined) count++;
  }
  return count;
}
