/**
 * The sidebar's "Recordings": "Open recording…" reads a recording file in the page (File API)
 * and lists each opened one, marked read-only, with its file name and QEMU version; choosing
 * one shows it in the main area's Console, Timeline and Wire views, closing it frees it.
 *
 * A malformed line is refused with its line number and the rest is kept (the format's own
 * reader, wire-recording.ts), so a torn last line does not lose a whole session.
 */
import { useRef, useState } from 'react';
import { messageOf } from '../../state/monitor-store';
import { useMonitor, useStore } from '../../state/store-context';
import visually from '../../ui/visually-hidden.module.css';
import styles from './recordings-section.module.css';

/** Refused lines named in the note; the count says how many more. */
const LINES_NAMED = 3;

/** The section; see the module comment. */
export function RecordingsSection() {
  const store = useStore();
  const recordings = useMonitor((s) => s.recordings);
  const shownId = useMonitor((s) => s.recordingId);
  const input = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<string | undefined>(undefined);

  const open = async (file: File) => {
    setNote(undefined);
    try {
      const recording = store.openRecording(file.name, await file.text());
      const bad = recording.badLines;
      if (bad.length > 0) {
        const named = bad.slice(0, LINES_NAMED).map((b) => `line ${b.line}: ${b.reason}`);
        const more = bad.length > LINES_NAMED ? `; ${bad.length - LINES_NAMED} more` : '';
        setNote(`${file.name}: ${bad.length} malformed line${bad.length === 1 ? '' : 's'} refused (${named.join('; ')}${more}); the rest was kept.`);
      }
    } catch (error) {
      setNote(`Could not read ${file.name}: ${messageOf(error)}`);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="recordings-title">
      <div className={styles.head}>
        <h2 id="recordings-title" className={styles.title}>
          Recordings
        </h2>
        <button type="button" onClick={() => input.current?.click()}>
          Open recording…
        </button>
        <input
          ref={input}
          type="file"
          accept=".jsonl,.ndjson,.json,application/x-ndjson,text/plain"
          aria-label="Recording file"
          tabIndex={-1}
          className={visually.visuallyHidden}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void open(file);
          }}
        />
      </div>
      {note !== undefined && (
        <p role="alert" className={styles.note}>
          {note}
        </p>
      )}
      {recordings.length > 0 && (
        <ul className={styles.list} aria-label="Opened recordings">
          {recordings.map((recording) => (
            <li key={recording.id} className={styles.item}>
              <button
                type="button"
                className={styles.pick}
                aria-current={recording.id === shownId ? 'true' : undefined}
                onClick={() => store.showRecording(recording.id)}
              >
                <span className={styles.name}>{recording.fileName}</span>
                <span className={styles.meta}>{`read-only · ${recording.qemuVersion === undefined ? 'no greeting' : `QEMU ${recording.qemuVersion}`} · ${recording.wire.length} messages`}</span>
              </button>
              <button type="button" className={styles.close} aria-label={`Close recording ${recording.fileName}`} onClick={() => store.closeRecording(recording.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
