/**
 * The timeline marker for one command sent from the app (buttons, console).
 *
 * A person reading the timeline after a crash needs to see what the app asked QEMU to do and
 * how it went, next to the events it caused. The marker is journaled to disk, so arguments that
 * may carry a secret (passwords, secret objects) or are too big to read in a row are left out.
 */
import type { CommandOutcome } from '../../common/models';
import { stringifyJsonLossless, type JsonObject } from '../../common/json-text';
import type { AppMarker } from './app-marker';

/**
 * Commands whose arguments can hold a password or key material (`qom-set` can write any
 * property, a secret object's included).
 */
const SECRET_BEARING_COMMANDS = new Set(['set_password', 'change-vnc-password', 'object-add', 'human-monitor-command', 'qom-set']);
/** Longest arguments text kept in a marker. */
const MAX_ARGUMENTS_TEXT = 2_048;

/** Builds the `command` marker: command, arguments (when safe), outcome, error class, duration. */
export function commandMarker(command: string, args: JsonObject | undefined, outcome: CommandOutcome): AppMarker {
  const keptArgs = args !== undefined && !SECRET_BEARING_COMMANDS.has(command) && stringifyJsonLossless(args).length <= MAX_ARGUMENTS_TEXT ? args : undefined;
  const durationMs = Math.round(outcome.durationMs * 1000) / 1000;
  const result: JsonObject = outcome.ok
    ? { outcome: 'ok', durationMs }
    : { outcome: 'error', errorClass: outcome.errorClass, desc: outcome.desc, durationMs };
  return {
    marker: 'command',
    event: command,
    data: { command, ...(keptArgs !== undefined ? { arguments: keptArgs } : {}), ...result, origin: 'app' },
  };
}
