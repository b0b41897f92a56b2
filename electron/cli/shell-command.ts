/**
 * `qmp-monitor shell TARGET`: interactive on a terminal, line-per-command JSON otherwise.
 *
 * Connecting is bounded by `--timeout` like `exec`; after that the timeout applies to each
 * command's reply, since a shell session itself may last as long as its input does.
 */
import { connectOrExit, type ConnectSettings } from './connect';
import { runInteractiveShell } from './shell-interactive';
import { runPipeShell } from './shell-pipe';

/** Runs `shell`; ends the process itself. */
export async function runShell(settings: ConnectSettings): Promise<void> {
  const client = await connectOrExit(settings);
  if (!client) return;
  if (process.stdin.isTTY && process.stdout.isTTY) await runInteractiveShell(client, settings.timeoutMs);
  else await runPipeShell(client, settings.timeoutMs);
}
