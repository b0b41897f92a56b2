/**
 * `qmp-monitor events TARGET [--count N]`: every event as one JSON line.
 *
 * Waiting for events is the point, so `--timeout` bounds only getting connected. QEMU going
 * away (EOF, reset after `quit`) is the normal end of a stream and exits 0; a peer that breaks
 * the protocol or dies in the middle of a message is a failure (exit 2).
 */
import { QmpConnectionError, QmpProtocolError } from '../core/qmp/errors';
import { stringifyJsonLossless } from '../common/json-text';
import { connectOrExit, type ConnectSettings } from './connect';
import { exitAfterFlush, failAndExit, writeLine } from './output';

/** What `events` needs from the command line. */
export interface EventsSettings extends ConnectSettings {
  readonly count: number | undefined;
}

/** Runs `events`; ends the process itself. */
export async function runEvents(settings: EventsSettings): Promise<void> {
  const client = await connectOrExit(settings);
  if (!client) return;
  let seen = 0;
  const stop = client.onEvent((event) => {
    if (settings.count !== undefined && seen >= settings.count) return;
    seen++;
    writeLine(process.stdout, stringifyJsonLossless(event));
    if (settings.count !== undefined && seen >= settings.count) {
      stop();
      exitAfterFlush(0);
    }
  });
  client.onClose((error) => {
    if (error instanceof QmpProtocolError || lostHalfMessage(error)) failAndExit(error);
    else exitAfterFlush(0);
  });
}

/**
 * QEMU going away cleanly ends the stream, but going away in the middle of an event means an
 * event was lost, which a script must not mistake for success.
 *
 * The core only says so in the message (see close-reason.ts), hence the text match.
 */
function lostHalfMessage(error: Error): boolean {
  return error instanceof QmpConnectionError && error.droppedBytes > 0;
}
