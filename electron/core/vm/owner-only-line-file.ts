/**
 * A file of lines, readable by its owner only and written synchronously, shared by the CLI's
 * shell log (`--log`) and wire recordings (`--record`): what both write can carry secrets
 * (`set_password`, `object-add` secrets), and both must hold the last line even when the
 * process exits right after it. A write that fails (disk full, file removed from a read-only
 * mount) closes the file and says so once, instead of breaking the session being written down.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fsErrorReason } from './fs-error-text';

/** An open line file; later lines are dropped once it is closed or a write failed. */
export class OwnerOnlyLineFile {
  private fd: number | undefined;

  private constructor(
    fd: number,
    private readonly onStopped: (reason: string) => void,
  ) {
    this.fd = fd;
  }

  /**
   * Opens `path` (mode 0600 when created) to append to it (`'a'`) or to start it empty (`'w'`).
   * `what` names the file in the error (`the log`); `onStopped` gets the reason a later write failed.
   *
   * @throws Error `cannot write WHAT PATH: reason`.
   */
  public static open(path: string, flags: 'a' | 'w', what: string, onStopped: (reason: string) => void): OwnerOnlyLineFile {
    try {
      return new OwnerOnlyLineFile(openSync(path, flags, 0o600), onStopped);
    } catch (error) {
      throw new Error(`cannot write ${what} ${path}: ${fsErrorReason(error)}`, { cause: error });
    }
  }

  /** Writes `line` and a newline (nothing once closed or failed). */
  public writeLine(line: string): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${line}\n`);
    } catch (error) {
      this.close();
      this.onStopped(fsErrorReason(error));
    }
  }

  /** Closes the file; later lines are dropped. */
  public close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Nothing more can be saved either way.
    }
  }
}
