/**
 * The CLI's listeners on the wire: `--record FILE` from the first byte (greeting and
 * negotiation included), and the shell's `--verbose` echo once the session runs. The client
 * takes one tap when it connects, so this fans it out to listeners that come and go.
 */
import type { WireTap } from '../core/qmp/qmp-client';
import { RecordingFile } from '../core/wire/recording-file';
import { writeLine } from './output';

/** One tap for the client, any number of listeners behind it. */
export class CliWire {
  private readonly listeners = new Set<WireTap>();

  /** Give this to the client (`onWire`). */
  public readonly tap: WireTap = (dir, text, at) => {
    for (const listener of this.listeners) listener(dir, text, at);
  };

  /** Adds a listener; returns its removal. */
  public add(listener: WireTap): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Starts `--record FILE` on `wire` when asked. A recording that stops mid-run (disk full) says
 * so once on stderr; the run goes on, since the commands matter more than their copy.
 *
 * @throws Error when the file cannot be created, before anything connects.
 */
export function startRecording(path: string | undefined, wire: CliWire): void {
  if (path === undefined) return;
  const file = RecordingFile.open(path, (message) => writeLine(process.stderr, `warning: ${message}`));
  wire.add(file.tap);
}
