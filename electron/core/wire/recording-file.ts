/**
 * Writes a recording (see common/wire-recording.ts) to a file as the traffic happens.
 *
 * Each entry is written synchronously: the CLI ends with `process.exit` as soon as its output
 * is flushed, and a recording that lost its last reply would be worst exactly when it matters
 * (the run that failed). A write that fails (disk full, file removed from a read-only mount)
 * stops the recording with one notice instead of breaking the session it records.
 */
import { formatRecordingLine, type RecordingEntry } from '../../common/wire-recording';
import type { WireTap } from '../qmp/qmp-client';
import { OwnerOnlyLineFile } from '../vm/owner-only-line-file';

/** A recording being written; `tap` is what the client's `onWire` gets. */
export class RecordingFile {
  private constructor(private readonly file: OwnerOnlyLineFile) {}

  /**
   * Creates (or empties) `path`, readable by its owner only, since QMP traffic can carry
   * passwords (`set_password`, `object-add` secrets).
   *
   * @throws Error saying which file could not be opened and why.
   */
  public static open(path: string, onFailure: (message: string) => void): RecordingFile {
    return new RecordingFile(OwnerOnlyLineFile.open(path, 'w', 'the recording', (reason) => onFailure(`recording to ${path} stopped: ${reason}`)));
  }

  /** Appends one entry (nothing once closed or failed). */
  public write(entry: RecordingEntry): void {
    this.file.writeLine(formatRecordingLine(entry));
  }

  /** The wire tap that records everything the client sees. */
  public readonly tap: WireTap = (dir, text, t) => this.write({ dir, t, text });

  /** Closes the file; later entries are dropped. */
  public close(): void {
    this.file.close();
  }
}
