/**
 * Entry point of the `qmp-monitor` CLI (bundled to out/node/cli.cjs).
 *
 * Everything below ends in exactly one of: output + exit 0, `error: CLASS: DESC` + exit 1,
 * or one `error:` line + exit 2. The process guards turn anything unforeseen into the last.
 */
import { version } from '../../package.json';
import { parseCliArgs, type CliInvocation } from './args';
import { EXIT_FAILURE, UsageError } from './cli-errors';
import { runEvents } from './events-command';
import { runExec } from './exec-command';
import { HELP_TEXT, USAGE_HINT } from './help';
import { exitAfterFlush, failAndExit, installProcessGuards, writeLine } from './output';
import { runShell } from './shell-command';
import { runProxy } from './proxy-command';

async function run(argv: readonly string[]): Promise<void> {
  let invocation: CliInvocation;
  try {
    invocation = parseCliArgs(argv);
  } catch (error) {
    reportUsage(error);
    return;
  }
  try {
    switch (invocation.kind) {
      case 'help':
        writeLine(process.stdout, HELP_TEXT);
        exitAfterFlush(0);
        return;
      case 'version':
        writeLine(process.stdout, `qmp-monitor ${version}`);
        exitAfterFlush(0);
        return;
      case 'exec':
        return await runExec(invocation);
      case 'events':
        return await runEvents(invocation);
      case 'shell':
        return await runShell(invocation);
      case 'proxy':
        return await runProxy(invocation);
    }
  } catch (error) {
    if (error instanceof UsageError) reportUsage(error);
    else failAndExit(error);
  }
}

function reportUsage(error: unknown): void {
  if (!(error instanceof UsageError)) {
    failAndExit(error);
    return;
  }
  writeLine(process.stderr, `error: ${error.message}`);
  writeLine(process.stderr, USAGE_HINT);
  exitAfterFlush(EXIT_FAILURE);
}

installProcessGuards();
void run(process.argv.slice(2));
