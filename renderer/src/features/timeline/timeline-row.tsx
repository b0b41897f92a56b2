/**
 * One timeline row: local time (ms), VM, kind (colour and word), event name, summary.
 *
 * Everything is React text, never HTML, so a VM name or event data holding markup shows as
 * the characters it is. The option's accessible name leads with the event and the VM, which
 * is what a person (or a screen reader user) scans for. App markers get their own look (a
 * tinted, italic row) on top of the `app` kind word.
 */
import { memo } from 'react';
import type { TimelineEvent } from '../../../../electron/common/models';
import { KIND_WORDS, eventKind, eventSummary } from './event-kinds';
import { localTimeMs, timeTitle } from './timeline-format';
import './kind-colors.css';
import styles from './timeline.module.css';

/** What a row shows. */
export interface TimelineRowProps {
  /** The element's id, given to the active row only (for `aria-activedescendant`; see timeline-list.tsx). */
  readonly id: string | undefined;
  readonly event: TimelineEvent;
  readonly vmName: string;
  /** Pixel offset inside the scrolled content (the row's index × its fixed height). */
  readonly top: number;
  readonly active: boolean;
  readonly open: boolean;
  /** The event's buffer position, handed to `onPick` (and shown as `data-position`). */
  readonly position: number;
  /**
   * Called with `position` on a click; one function for every row (not a closure per row), so
   * a row whose event, place and state did not change is not rendered again on a push.
   */
  readonly onPick: (position: number) => void;
}

/** The summary without the event name it starts with (the row shows the name in its own column). */
export function summaryDetail(event: TimelineEvent): string {
  const summary = eventSummary(event);
  if (summary === event.event) return '';
  return summary.startsWith(`${event.event} `) ? summary.slice(event.event.length + 1) : summary;
}

/** See the module comment. */
export const TimelineRow = memo(function TimelineRow({ id, event, vmName, top, active, open, position, onPick }: TimelineRowProps) {
  const kind = eventKind(event.event, event.marker);
  const detail = summaryDetail(event);
  const time = localTimeMs(event.timestamp);
  const label = `${event.event} on ${vmName}, ${KIND_WORDS[kind]}, ${time}${detail ? `, ${detail}` : ''}`;
  const classes = [styles.row, event.marker !== undefined ? styles.marker : '', active ? styles.active : '', open ? styles.open : ''].filter(Boolean).join(' ');
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-label={label}
      data-kind={kind}
      data-position={position}
      className={classes}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(position)}
    >
      <span className={styles.time} title={timeTitle(event)}>
        {time}
      </span>
      <span className={styles.vm} title={vmName}>
        {vmName}
      </span>
      <span className={styles.kind}>
        <span className={styles.swatch} aria-hidden="true" />
        {KIND_WORDS[kind]}
      </span>
      <span className={styles.name}>{event.event}</span>
      <span className={styles.summary}>{detail}</span>
    </div>
  );
});
