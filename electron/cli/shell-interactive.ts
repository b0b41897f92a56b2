/**
 * The TTY shell: a `(QEMU) ` prompt with history and Tab completion.
 *
 * Meant for a person, so replies are indented and events are printed above the prompt without
 * breaking the line being typed. History survives sessions in ~/.qmp-monitor_history, like
 * qmp-shell's. With the schema read at start, Tab completes command names (and, through the
 * schema completer, argument names and enum values), and a command the schema finds invalid
 * is shown back with the reason instead of being sent: Enter again sends it anyway, since
 * QEMU is the judge.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { stringifyJsonLossless } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';
import { describeError, EXIT_FAILURE } from './cli-errors';
import { exitAfterFlush, writeLine } from './output';
import { PromptScreen } from './prompt-screen';
import { shellCompleter } from './shell-completion';
import { commandProblems, problemText, type ShellSchema } from './shell-schema';
import type { ShellSession } from './shell-session';

const HISTORY_SIZE = 1000;

/** Where history is kept; QMP_MONITOR_HISTORY overrides it (tests, or to keep it per project). */
export function historyPath(): string {
  return process.env['QMP_MONITOR_HISTORY'] ?? join(homedir(), '.qmp-monitor_history');
}

/** What the terminal shell needs besides the session. */
export interface InteractiveOptions {
  readonly schema: ShellSchema;
  /** Names Tab completes first (QMP commands, or HMP commands with -H). */
  readonly names: readonly string[];
  readonly hmp: boolean;
}

/** Runs the prompt until Ctrl-D (exit 0) or the connection dies (exit 2). */
export async function runInteractiveShell(
  client: QmpClient,
  session: ShellSession,
  options: InteractiveOptions,
  /** Gets the printer that writes above the prompt, for the session's echo and notices. */
  usePrinter: (print: (text: string) => void) => void,
): Promise<void> {
  const history = await loadHistory();
  const model = 'model' in options.schema ? options.schema.model : undefined;
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: shellCompleter(options.names, model, options.hmp),
  });
  const screen = new PromptScreen(rl, process.stdout, session.prompt);
  usePrinter((text) => screen.print(text));
  rl.on('history', (lines: string[]) => saveHistory(lines));
  client.onEvent((event) => screen.print(stringifyJsonLossless(event)));
  let quitAnswered = false;
  client.onClose((error) => {
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    // After an answered `quit` QEMU closing the monitor is what the user asked for.
    if (quitAnswered) writeLine(process.stdout, 'QEMU closed the connection after quit.');
    else writeLine(process.stderr, `error: connection lost: ${describeError(error)}`);
    // Decide the exit code before rl.close(), whose 'close' event would otherwise claim 0.
    exitAfterFlush(quitAnswered ? 0 : EXIT_FAILURE);
    rl.close();
  });
  // Ctrl-D on an empty line ends the session (readline closes); Ctrl-C only drops the line
  // (and an open transaction block), as in a shell. Without a SIGINT listener readline would
  // just pause, which looks like a hang.
  rl.on('close', () => exitAfterFlush(0));
  rl.on('SIGINT', () => {
    screen.cancelLine();
    if (session.cancelBlock()) {
      screen.setPrompt(session.prompt);
      screen.print('transaction cancelled: nothing was sent');
    }
  });
  const v = client.greeting.version.qemu;
  const what = options.hmp ? 'HMP mode' : 'Tab completes commands and arguments';
  writeLine(process.stdout, `Connected to QEMU ${v.major}.${v.minor}.${v.micro}; ${what}, Ctrl-D quits.`);
  if ('unavailable' in options.schema && !options.hmp) writeLine(process.stdout, `note: no schema checks (${options.schema.unavailable})`);
  rl.prompt();
  // The text last refused by the check: the same text entered again is sent anyway.
  let refused: string | undefined;
  const oobNegotiated = client.enabledCapabilities.includes('oob');
  for await (const text of rl) {
    screen.commandStarted();
    const parsed = session.read(text);
    let retype: string | undefined;
    if (parsed.kind === 'invalid') screen.print(`error: ParseError: ${parsed.message}`);
    if (parsed.kind === 'command') {
      const problems = model && !options.hmp ? commandProblems(model, parsed.command, oobNegotiated) : [];
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0 && refused !== text) {
        screen.print(`warning: ${problemText(errors)}\n(not sent: press Enter again to send it anyway)`);
        refused = text;
        retype = text;
      } else {
        refused = undefined;
        if (problems.length > errors.length) screen.print(`note: ${problemText(problems.filter((p) => p.severity !== 'error'))}`);
        const reply = await session.run(parsed.command);
        if (parsed.command.command === 'quit' && reply.ok) quitAnswered = true;
        if (reply.text !== '') screen.print(reply.text);
      }
    }
    screen.setPrompt(session.prompt);
    screen.commandDone();
    if (retype !== undefined) rl.write(retype);
  }
}

async function loadHistory(): Promise<string[]> {
  try {
    // readline wants newest first; the file is written oldest first like shell history files.
    return (await readFile(historyPath(), 'utf8')).split('\n').filter((l) => l !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/**
 * Written synchronously, a few KB per entered line: asynchronous writes of successive lines
 * could overlap, and one still in flight at Ctrl-D left a truncated, empty file.
 */
function saveHistory(lines: readonly string[]): void {
  try {
    writeFileSync(historyPath(), `${[...lines].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; an unwritable home must not break the session.
  }
}
