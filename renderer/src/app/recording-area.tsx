/**
 * The main area while an opened recording is shown: the chosen view's read-only version
 * (console pairs, timeline events, wire messages), composed here so no feature imports another.
 *
 * Status and QOM are live questions a recording cannot answer, so those tabs say so and offer
 * the views it can fill.
 */
import type { MainView } from '../state/monitor-state';
import type { OpenRecording } from '../state/recording-state';
import { useStore } from '../state/store-context';
import { RecordingConsole, RecordingWire } from '../features/console/recording-views';
import { RecordingEvents } from '../features/timeline/recording-events';
import styles from './app.module.css';

/** The recording in `view`. */
export function RecordingArea({ recording, view }: { readonly recording: OpenRecording; readonly view: MainView }) {
  const store = useStore();
  if (view === 'console') return <RecordingConsole recording={recording} />;
  if (view === 'wire') return <RecordingWire recording={recording} />;
  if (view === 'timeline') return <RecordingEvents name={recording.fileName} events={recording.events} />;
  return (
    <main className={styles.recordingNote} aria-label={`Recording ${recording.fileName} (read-only)`}>
      <h2>{`${recording.fileName} (read-only recording)`}</h2>
      <p>{`A recording has no live ${view === 'qom' ? 'QOM tree' : 'status'}. It holds ${recording.consoleEntries.length} commands, ${recording.events.length} events and ${recording.wire.length} messages.`}</p>
      <p>
        <button type="button" onClick={() => store.showView('console')}>
          Show its commands
        </button>{' '}
        <button type="button" onClick={() => store.showView('timeline')}>
          Show its events
        </button>{' '}
        <button type="button" onClick={() => store.showView('wire')}>
          Show its messages
        </button>
      </p>
    </main>
  );
}
