/**
 * `qmp-monitor exec TARGET COMMAND [ARGS_JSON]`: one command, its `return` on stdout.
 *
 * The whole run (connect, greeting, negotiation, reply) shares one deadline so a script that
 * says `--timeout 2` never waits longer, whatever the peer does.
 */
import { QmpTimeoutError } from '../core/qmp/errors';
import { stringifyJsonLossless, type JsonObject } from '../common/json-text';
import { exitCodeFor } from './cli-errors';
import { CliWire, startRecording } from './cli-wire';
import { connectClient, seconds, targetFrom, type ConnectSettings } from './connect';
import { exitAfterFlush, failAndExit, writeError, writeLine } from './output';

/** What `exec` needs from the command line. */
export interface ExecSettings extends ConnectSettings {
  readonly command: string;
  readonly args: JsonObject | undefined;
  readonly pretty: boolean;
  readonly record: string | undefined;
}

/** Margin so the core's own (more specific) timeout message wins over our backstop. */
const BACKSTOP_MARGIN_MS = 100;

/** Runs `exec`; ends the process itself (exit 0, 1 or 2). */
export async function runExec(settings: ExecSettings): Promise<void> {
  const target = targetFrom(settings.target);
  const wire = new CliWire();
  startRecording(settings.record, wire);
  const deadline = Date.now() + settings.timeoutMs;
  let phase = `connecting to ${settings.target}`;
  const backstop = setTimeout(() => {
    failAndExit(new Error(`timed out after ${seconds(settings.timeoutMs)} ${phase}`));
  }, settings.timeoutMs);
  const left = (): number => deadline - Date.now() - BACKSTOP_MARGIN_MS;
  try {
    const client = await connectClient(target, { ...settings, onWire: wire.tap }, left());
    phase = `waiting for the reply to ${settings.command}`;
    const result = await client.execute(settings.command, settings.args, { timeoutMs: Math.max(1, left()) });
    clearTimeout(backstop);
    writeLine(process.stdout, stringifyJsonLossless(result ?? null, settings.pretty ? 2 : undefined));
    exitAfterFlush(0);
  } catch (error) {
    clearTimeout(backstop);
    // The core counts what was left of the budget ("within 891 ms"); users think in their --timeout.
    const shown = error instanceof QmpTimeoutError ? new Error(`timed out after ${seconds(settings.timeoutMs)} (--timeout): ${error.message}`) : error;
    writeError(shown);
    exitAfterFlush(exitCodeFor(error));
  }
}
