/**
 * An opened recording through the console's own views, read-only: its command/reply pairs in
 * the results list (no editor, nothing can be sent) and its raw messages in the wire list.
 *
 * The entries were paired when the file was read (state/recording-state.ts), so these views
 * only render them, with the same components as a live VM's.
 */
import type { TimelineEvent } from '../../../../electron/common/models';
import type { OpenRecording } from '../../state/recording-state';
import { useStore } from '../../state/store-context';
import { ConsoleEntryView } from './console-entry';
import { WireMessages, WireSummary } from './wire-view';
import styles from './console.module.css';
import wireStyles from './wire.module.css';

/** What the header says about a recording (its QEMU and that it is read-only). */
function recordingNote(recording: OpenRecording): string {
  const qemu = recording.qemuVersion === undefined ? 'no QEMU greeting' : `QEMU ${recording.qemuVersion}`;
  return `Read-only recording · ${qemu} · nothing can be sent`;
}

/** Events of the recording that arrived between `from` and `to` (epoch ms). */
function eventsBetween(events: readonly TimelineEvent[], from: number, to: number): number {
  return events.reduce((count, event) => (event.receivedAt >= from && event.receivedAt <= to ? count + 1 : count), 0);
}

/** The recording's commands and replies, as the console shows a VM's. */
export function RecordingConsole({ recording }: { readonly recording: OpenRecording }) {
  const store = useStore();
  const entries = recording.consoleEntries;
  return (
    <main className={styles.main} aria-label={`Console of recording ${recording.fileName} (read-only)`}>
      <div className={styles.header}>
        <h2 className={styles.title}>{`Console · ${recording.fileName}`}</h2>
        <span className={styles.hint}>{recordingNote(recording)}</span>
      </div>
      <div className={styles.results} role="log" aria-label="Commands and replies">
        {entries.length === 0 && <p className={styles.muted}>This recording holds no command.</p>}
        {entries.map((entry) => (
          <ConsoleEntryView
            key={entry.id}
            entry={entry}
            eventsMeanwhile={entry.result ? eventsBetween(recording.events, entry.sentAt, entry.result.receivedAt) : undefined}
            onShowEvents={() => store.showView('timeline')}
          />
        ))}
      </div>
    </main>
  );
}

/** The recording's raw messages, as the wire inspector shows a VM's. */
export function RecordingWire({ recording }: { readonly recording: OpenRecording }) {
  return (
    <main className={wireStyles.main} aria-label={`Wire of recording ${recording.fileName} (read-only)`}>
      <div className={wireStyles.header}>
        <h2 className={wireStyles.title}>{`Wire · ${recording.fileName}`}</h2>
        <WireSummary entries={recording.wire} dropped={0} />
        <span className={wireStyles.muted}>{recordingNote(recording)}</span>
      </div>
      <WireMessages entries={recording.wire} />
    </main>
  );
}
