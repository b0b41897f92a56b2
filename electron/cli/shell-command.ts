/**
 * `qmp-monitor shell TARGET` (or `qmp-monitor TARGET`): interactive on a terminal,
 * line-per-command JSON otherwise.
 *
 * Connecting is bounded by `--timeout` like `exec`; after that the timeout applies to each
 * command's reply, since a shell session itself may last as long as its input does. The schema
 * is read once at start when something uses it (the terminal's completion and check, or
 * `--check` when piped).
 */
import { failAndExit, writeLine } from './output';
import { CliWire, startRecording } from './cli-wire';
import { connectOrExit, type ConnectSettings } from './connect';
import type { ShellOptions } from './args';
import { runInteractiveShell } from './shell-interactive';
import { hmpCommandNames, qmpCommandNames } from './shell-completion';
import { runPipeShell } from './shell-pipe';
import { commandProblems, loadShellSchema, problemText } from './shell-schema';
import { ShellSession } from './shell-session';

/** What `shell` needs from the command line. */
export interface ShellSettings extends ConnectSettings, ShellOptions {
  readonly verbose: boolean;
  readonly record: string | undefined;
}

/** Runs `shell`; ends the process itself. */
export async function runShell(settings: ShellSettings): Promise<void> {
  const wire = new CliWire();
  startRecording(settings.record, wire);
  const client = await connectOrExit({ ...settings, onWire: wire.tap });
  if (!client) return;
  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  const printer = interactive ? process.stdout : process.stderr;
  // Echo and notices: above the prompt on a terminal (set below), on stderr when piped.
  let notice = (text: string): void => writeLine(printer, text);
  const session = new ShellSession(client, wire, {
    timeoutMs: settings.timeoutMs,
    indent: interactive || settings.pretty ? 2 : undefined,
    hmp: settings.hmp,
    verbose: settings.verbose,
    log: settings.log,
    notice: (text) => notice(text),
  });
  if (interactive) {
    const schema = settings.hmp ? { unavailable: 'HMP mode' } : await loadShellSchema(client, settings.timeoutMs);
    const names = settings.hmp ? await hmpCommandNames(client, settings.timeoutMs) : await qmpCommandNames(client, settings.timeoutMs);
    await runInteractiveShell(client, session, { schema, names, hmp: settings.hmp }, (print) => (notice = print));
    return;
  }
  if (!settings.check) {
    await runPipeShell(client, session);
    return;
  }
  const schema = await loadShellSchema(client, settings.timeoutMs);
  if ('unavailable' in schema) {
    failAndExit(new Error(`--check needs the schema: ${schema.unavailable}`));
    return;
  }
  const oob = client.enabledCapabilities.includes('oob');
  await runPipeShell(client, session, (cmd) => {
    const errors = commandProblems(schema.model, cmd, oob).filter((d) => d.severity === 'error');
    return errors.length > 0 ? problemText(errors) : undefined;
  });
}
