/**
 * `qmp-monitor events TARGET... [--count N] [--event NAME]... [--pretty]`: every event as JSON.
 *
 * Several targets are watched at once over one connection each, and their events merged in
 * arrival order, as `virsh qemu-monitor-event` does for all domains when given none. Waiting
 * for events is the point, so `--timeout` bounds only getting connected, each target on its
 * own clock.
 *
 * How a target ends: QEMU going away (EOF, reset after `quit`) is the normal end of a stream;
 * a peer that breaks the protocol or dies in the middle of a message lost events, so it is a
 * failure, as is not getting connected. The run ends when every target has ended, or when
 * `--count` events were printed; it exits 2 if any target failed, else 0. Other targets go on
 * after one fails. With one target, output is what it always was: the bare event lines, one
 * `error:` line on failure, nothing on stderr for a normal end.
 */
import { QmpConnectionError, QmpProtocolError } from '../core/qmp/errors';
import type { QmpClient } from '../core/qmp/qmp-client';
import { describeError, EXIT_FAILURE } from './cli-errors';
import { CliWire, startRecording } from './cli-wire';
import { connectWithin, targetFrom, type ConnectLimits } from './connect';
import { eventMatcher } from './event-filter';
import { formatEvent, formatEventHuman } from './event-line';
import { exitAfterFlush, isExiting, writeLine } from './output';

/** What `events` needs from the command line. */
export interface EventsSettings extends ConnectLimits {
  readonly targets: readonly string[];
  readonly count: number | undefined;
  readonly events: readonly string[];
  readonly pretty: boolean;
  readonly human: boolean;
  readonly record: string | undefined;
}

/**
 * Runs `events`; ends the process itself.
 *
 * @throws UsageError for a TARGET that does not parse, before anything connects.
 */
export async function runEvents(settings: EventsSettings): Promise<void> {
  const targets = settings.targets.map((text) => ({ text, target: targetFrom(text) }));
  const several = targets.length > 1;
  const wire = new CliWire();
  startRecording(settings.record, wire);
  const matches = eventMatcher(settings.events);
  let printed = 0;
  let open = targets.length;
  let failed = false;

  // process.exit (after the flush) closes every socket, so no client needs closing first.
  const finish = (): void => exitAfterFlush(failed ? EXIT_FAILURE : 0);
  /** One target is over: `error` when it failed, else a note (several targets only). */
  const ended = (text: string, error: unknown, failure: boolean): void => {
    if (isExiting()) return;
    failed ||= failure;
    const reason = describeError(error);
    if (failure) writeLine(process.stderr, several ? `error: ${text}: ${reason}` : `error: ${reason}`);
    else if (several) writeLine(process.stderr, `closed: ${text}: ${reason}`);
    if (--open === 0) finish();
  };

  await Promise.all(
    targets.map(async ({ text, target }) => {
      let client: QmpClient;
      try {
        client = await connectWithin(text, target, { ...settings, onWire: wire.tap });
      } catch (error) {
        ended(text, error, true);
        return;
      }
      if (isExiting()) return;
      const label = several ? text : undefined;
      client.onEvent((event) => {
        if (isExiting() || !matches(event.event)) return;
        writeLine(process.stdout, settings.human ? formatEventHuman(event, label) : formatEvent(event, label, settings.pretty));
        if (settings.count !== undefined && ++printed >= settings.count) finish();
      });
      client.onClose((error) => ended(text, error, error instanceof QmpProtocolError || lostHalfMessage(error)));
    }),
  );
}

/**
 * QEMU going away cleanly ends the stream, but going away in the middle of an event means an
 * event was lost, which a script must not mistake for success.
 */
function lostHalfMessage(error: Error): boolean {
  return error instanceof QmpConnectionError && error.droppedBytes > 0;
}
