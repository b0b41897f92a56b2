/**
 * `shell -l/--log FILE`: each command and its reply, as qmp-shell's log keeps them.
 *
 * One JSON object per line and per command, the command with its reply merged into it
 * (`{"execute": "query-status", "return": {...}}`), so `jq` reads the session back. Appended,
 * so a log can span sessions; written synchronously, so the last reply is in it even when the
 * session ends at once. Events are not logged (a recording, `--record`, has everything).
 */
import { stringifyJsonLossless, type JsonValue } from '../common/json-text';
import { OwnerOnlyLineFile } from '../core/vm/owner-only-line-file';
import type { ShellCommand } from './shell-line';

/** An open `--log` file. */
export class ShellLog {
  private constructor(private readonly file: OwnerOnlyLineFile) {}

  /**
   * Opens `path` for appending (owner-only: commands may carry secrets).
   *
   * @throws Error naming the file and the reason.
   */
  public static open(path: string, onFailure: (message: string) => void): ShellLog {
    return new ShellLog(OwnerOnlyLineFile.open(path, 'a', 'the log', (reason) => onFailure(`log ${path} stopped: ${reason}`)));
  }

  /** Logs one command with its outcome (`return` value or `error` object). */
  public write(cmd: ShellCommand, outcome: { readonly return: JsonValue } | { readonly error: JsonValue }): void {
    const entry: Record<string, JsonValue> = { [cmd.oob ? 'exec-oob' : 'execute']: cmd.command };
    if (cmd.args !== undefined) entry['arguments'] = cmd.args;
    if (cmd.userId !== undefined) entry['id'] = cmd.userId;
    Object.assign(entry, outcome);
    this.file.writeLine(stringifyJsonLossless(entry));
  }
}
