/**
 * An opened recording's events in the timeline's own list and detail pane, read-only: QEMU's
 * timestamps as recorded, under the recording's name.
 *
 * The live timeline reads a bounded, growing buffer through its model; a recording is a fixed
 * array, so it gets a plain {@link FilteredEvents} over that array and the same rows.
 */
import { useMemo, useState } from 'react';
import type { TimelineEvent } from '../../../../electron/common/models';
import { JsonTree } from '../../ui/json-tree';
import { jsonLine } from './timeline-export';
import type { FilteredEvents } from './timeline-filter';
import { timeTitle } from './timeline-format';
import { TimelineList } from './timeline-list';
import styles from './timeline.module.css';
import { groupedNumber } from '../../lib/format';

/** Every event of `events`, positions being indexes (the array never changes). */
export function arrayEvents(events: readonly TimelineEvent[]): FilteredEvents {
  return {
    length: events.length,
    total: events.length,
    at: (index) => events[index],
    positionAt: (index) => (index >= 0 && index < events.length ? index : undefined),
    indexOfPosition: (position) => (position >= 0 && position < events.length ? position : -1),
  };
}

/** Props of {@link RecordingEvents}. */
export interface RecordingEventsProps {
  /** The recording's file name, shown as the VM of every row. */
  readonly name: string;
  readonly events: readonly TimelineEvent[];
}

/** `<main>` listing a recording's events. */
export function RecordingEvents({ name, events }: RecordingEventsProps) {
  const shown = useMemo(() => arrayEvents(events), [events]);
  const [openPosition, setOpenPosition] = useState<number | null>(null);
  const vmName = () => name;
  const openEvent = openPosition === null ? undefined : events[openPosition];
  return (
    <main className={styles.main} aria-label={`Timeline of recording ${name} (read-only)`}>
      <div className={styles.header}>
        <h2 className={styles.title}>{`Timeline · ${name} (read-only recording)`}</h2>
      </div>
      <p className={styles.countLine}>{`${groupedNumber(events.length)} ${events.length === 1 ? 'event' : 'events'} recorded`}</p>
      <TimelineList events={shown} filterKey={name} vmName={vmName} openPosition={openEvent ? openPosition : null} onOpen={setOpenPosition} />
      {openEvent && (
        <section className={styles.detail} aria-label="Event details">
          <div className={styles.detailHead}>
            <h3 className={styles.detailTitle}>
              {openEvent.event} in {name}
            </h3>
            <span className={styles.muted}>{timeTitle(openEvent)}</span>
            <button type="button" className={styles.close} onClick={() => setOpenPosition(null)}>
              Close details
            </button>
          </div>
          <JsonTree key={openPosition} json={jsonLine(openEvent, name)} wholeText={jsonLine(openEvent, name)} label={`${openEvent.event} event from ${name}`} />
        </section>
      )}
    </main>
  );
}
