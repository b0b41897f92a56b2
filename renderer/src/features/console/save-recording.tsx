/**
 * "Save recording": every wire message the core holds for a VM, texts whole, as a recording
 * file (wire-recording.ts), through the page's one download path (lib/download.ts).
 *
 * The inspector holds texts cut for display, so the save asks the core again for whole ones:
 * the file is what crossed the socket, byte for byte, and opens again with "Open recording…"
 * or anything that reads `qmp-monitor --record` files.
 */
import { useState } from 'react';
import { wireEntriesAsRecording } from '../../../../electron/common/wire-entry';
import { downloadBlob, fileTimeStamp } from '../../lib/download';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';
import styles from './wire.module.css';

/** `qmp-recording-web-1-20261202-140307.jsonl`: the VM's name (file-safe) and the time. */
export function recordingFileName(vmName: string, now = new Date()): string {
  const safe = vmName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'vm';
  return `qmp-recording-${safe}-${fileTimeStamp(now)}.jsonl`;
}

/** The button, and a line saying what was saved or why not. */
export function SaveRecordingButton({ vmId, vmName }: { readonly vmId: string; readonly vmName: string }) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ readonly text: string; readonly failed: boolean } | undefined>(undefined);
  const save = async () => {
    setBusy(true);
    setNote(undefined);
    try {
      const entries = await store.readWholeWire(vmId);
      const { text, truncated } = wireEntriesAsRecording(entries);
      downloadBlob(new Blob([text], { type: 'application/x-ndjson' }), recordingFileName(vmName));
      const cut = truncated > 0 ? ` (${truncated} cut: longer than the core keeps)` : '';
      setNote({ text: `Saved ${entries.length} messages${cut}.`, failed: false });
    } catch (error) {
      setNote({ text: `Could not save the recording: ${messageOf(error)}`, failed: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save recording'}
      </button>
      {note !== undefined && (
        <span role={note.failed ? 'alert' : 'status'} className={note.failed ? styles.error : styles.muted}>
          {note.text}
        </span>
      )}
    </>
  );
}
