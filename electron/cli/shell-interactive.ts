/**
 * The TTY shell: a `(QEMU) ` prompt with history and Tab completion of command names.
 *
 * Meant for a person, so replies are indented and events are printed above the prompt without
 * breaking the line being typed. History survives sessions in ~/.qmp-monitor_history, like
 * qmp-shell's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { stringifyJsonLossless, type JsonValue } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';
import { describeError, EXIT_FAILURE } from './cli-errors';
import { exitAfterFlush, failAndExit, writeLine } from './output';
import { PromptScreen } from './prompt-screen';
import { lineTooLongMessage, MAX_LINE_BYTES, parseShellLine } from './shell-line';
import { replyLine } from './shell-pipe';

const HISTORY_SIZE = 1000;
const PROMPT = '(QEMU) ';

/** Where history is kept; QMP_MONITOR_HISTORY overrides it (tests, or to keep it per project). */
export function historyPath(): string {
  return process.env['QMP_MONITOR_HISTORY'] ?? join(homedir(), '.qmp-monitor_history');
}

/** Runs the prompt until Ctrl-D (exit 0) or the connection dies (exit 2). */
export async function runInteractiveShell(client: QmpClient, timeoutMs: number): Promise<void> {
  const names = await commandNames(client);
  const history = await loadHistory();
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string) => complete(names, line),
  });
  const screen = new PromptScreen(rl, process.stdout, PROMPT);
  rl.on('history', (lines: string[]) => void saveHistory(lines));
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
  // Ctrl-D on an empty line ends the session (readline closes); Ctrl-C only drops the line,
  // as in a shell. Without a SIGINT listener readline would just pause, which looks like a hang.
  rl.on('close', () => exitAfterFlush(0));
  rl.on('SIGINT', () => screen.cancelLine());
  const v = client.greeting.version.qemu;
  writeLine(process.stdout, `Connected to QEMU ${v.major}.${v.minor}.${v.micro}; Tab completes commands, Ctrl-D quits.`);
  rl.prompt();
  for await (const text of rl) {
    screen.commandStarted();
    const parsed = Buffer.byteLength(text) > MAX_LINE_BYTES ? ({ kind: 'invalid', message: lineTooLongMessage() } as const) : parseShellLine(text);
    if (parsed.kind === 'invalid') screen.print(`error: ParseError: ${parsed.message}`);
    if (parsed.kind === 'command') {
      const reply = await replyLine(client, parsed.command, timeoutMs, 2);
      if (parsed.command.command === 'quit' && reply.ok) quitAnswered = true;
      screen.print(reply.text);
    }
    screen.commandDone();
  }
}

/** Completes the command name (first word); arguments are left alone. */
export function complete(names: readonly string[], line: string): [string[], string] {
  if (/\s/.test(line.trimStart()) || line.trimStart().startsWith('{')) return [[], line];
  const word = line.trimStart();
  const hits = names.filter((n) => n.startsWith(word));
  return [hits, word];
}

async function commandNames(client: QmpClient): Promise<string[]> {
  try {
    const list = await client.execute<JsonValue>('query-commands');
    if (!Array.isArray(list)) return [];
    return list
      .map((c) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? c['name'] : undefined))
      .filter((n): n is string => typeof n === 'string')
      .sort();
  } catch (error) {
    failAndExit(error);
    return [];
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

async function saveHistory(lines: readonly string[]): Promise<void> {
  try {
    await writeFile(historyPath(), `${[...lines].reverse().join('\n')}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; an unwritable home must not break the session.
  }
}
