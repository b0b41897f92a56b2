/**
 * The Timeline's export control: JSON Lines or CSV of what is shown, built in slices with a
 * progress bar and a Cancel button, ending in the normal download (the app: its save dialog).
 *
 * Exporting a million rows takes seconds; built in one go it froze the page for all of them.
 * Built by {@link exportBlob}, the list keeps tailing and the buttons keep answering while it
 * runs. The export takes the view shown at the click; leaving the view cancels it.
 */
import { useEffect, useRef, useState } from 'react';
import { downloadBlob } from '../../lib/download';
import { exportBlob, exportFileName, type ExportFormat, type VmNamer } from './timeline-export';
import type { FilteredEvents } from './timeline-filter';
import styles from './timeline.module.css';
import controlStyles from './timeline-export-control.module.css';

/** What each format's button and progress say. */
const FORMAT_WORDS: Readonly<Record<ExportFormat, string>> = { jsonl: 'JSON Lines', csv: 'CSV' };

/** An export under way. */
interface Running {
  readonly format: ExportFormat;
  readonly done: number;
  readonly total: number;
}

/** Export of what is shown, as JSON Lines or CSV; see the module comment. */
export function ExportControl({ events, vmName }: { readonly events: FilteredEvents; readonly vmName: VmNamer }) {
  const [running, setRunning] = useState<Running | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = (format: ExportFormat): void => {
    const mine = new AbortController();
    controller.current = mine;
    setFailure(null);
    setRunning({ format, done: 0, total: events.length });
    const onProgress = (done: number, total: number): void => setRunning({ format, done, total });
    exportBlob(format, events, vmName, { signal: mine.signal, onProgress })
      .then((blob) => downloadBlob(blob, exportFileName(format)))
      .catch((error: unknown) => {
        if (!mine.signal.aborted) setFailure(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        if (controller.current !== mine) return;
        controller.current = null;
        setRunning(null);
      });
  };

  return (
    <div className={`${styles.export} ${controlStyles.control}`} role="group" aria-label="Export shown events">
      {(['jsonl', 'csv'] as const).map((format) => (
        <button key={format} type="button" disabled={events.length === 0 || running !== null} onClick={() => start(format)}>
          Export {FORMAT_WORDS[format]}
        </button>
      ))}
      {running && (
        <span className={controlStyles.running}>
          <progress aria-label={`Exporting ${FORMAT_WORDS[running.format]}`} max={Math.max(1, running.total)} value={running.done} />
          <span className={controlStyles.percent}>{`${Math.floor((running.done / Math.max(1, running.total)) * 100)} %`}</span>
          <button type="button" onClick={() => controller.current?.abort()}>
            Cancel export
          </button>
        </span>
      )}
      {failure !== null && (
        <span role="alert" className={controlStyles.failure}>
          {failure}
        </span>
      )}
    </div>
  );
}
