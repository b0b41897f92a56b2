/**
 * `qmp-monitor shell TARGET`: interactive on a terminal, line-per-command JSON otherwise.
 *
 * Connecting is bounded by `--timeout` like `exec`; after that the timeout applies to each
 * command's reply, since a shell session itself may last as long as its input does.
 */
import { connectClient, seconds, targetFrom, type ConnectSettings } from './connect';
import { failAndExit } from './output';
import { runInteractiveShell } from './shell-interactive';
import { runPipeShell } from './shell-pipe';

/** Runs `shell`; ends the process itself. */
export async function runShell(settings: ConnectSettings): Promise<void> {
  const target = targetFrom(settings.target);
  const backstop = setTimeout(() => {
    failAndExit(new Error(`timed out after ${seconds(settings.timeoutMs)} connecting to ${settings.target}`));
  }, settings.timeoutMs);
  let client;
  try {
    client = await connectClient(target, settings, settings.timeoutMs - 100);
  } catch (error) {
    failAndExit(error);
    return;
  } finally {
    clearTimeout(backstop);
  }
  if (process.stdin.isTTY && process.stdout.isTTY) await runInteractiveShell(client, settings.timeoutMs);
  else await runPipeShell(client, settings.timeoutMs);
}
