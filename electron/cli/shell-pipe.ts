/**
 * The non-TTY shell: commands from stdin, exactly one JSON line per command on stdout.
 *
 * Commands are pipelined (sent as soon as they are read, up to a window) because QEMU, with
 * OOB negotiated, queues several in-band commands and answers them in order; output still
 * follows input order because each line's result is printed through one ordered chain. Input
 * is read with a bound per line, so a runaway line costs neither memory nor QEMU's time.
 */
import { QmpConnectionError, type QmpError } from '../core/qmp/errors';
import { stringifyJsonLossless } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';
import { readBoundedLines } from './bounded-lines';
import { describeError } from './cli-errors';
import { exitAfterFlush, failAndExit, writeLine } from './output';
import type { ShellSession } from './shell-session';
import { lineTooLongMessage, MAX_LINE_BYTES, type ShellCommand, type ShellLine } from './shell-line';

/** How many replies may be outstanding before we stop reading input. */
const MAX_IN_FLIGHT = 64;

/** The schema check of `--check`: the reason a command is refused, or undefined to send it. */
export type CommandRefusal = (cmd: ShellCommand) => string | undefined;

/** Runs the pipe shell until input ends (exit 0) or the connection dies (exit 2). */
export async function runPipeShell(client: QmpClient, session: ShellSession, refusal?: CommandRefusal): Promise<void> {
  client.onEvent((event) => writeLine(process.stderr, stringifyJsonLossless(event)));
  let printed: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  let lost: QmpError | undefined;
  let lastCommand = '';
  let quitAnswered = false;

  client.onClose((error) => {
    lost = error;
    void printed.then(() => {
      // `quit` closes the monitor on purpose: with nothing left unanswered that is a clean end.
      if (quitAnswered && lastCommand === 'quit') exitAfterFlush(0);
      else failAndExit(new QmpConnectionError(`connection lost: ${describeError(error)}`));
    });
  });

  const enqueue = (line: Promise<string>): void => {
    const done = printed.then(async () => {
      const text = await line;
      if (text !== '') writeLine(process.stdout, text);
    });
    printed = done;
    inFlight.push(done);
    void done.then(() => inFlight.splice(inFlight.indexOf(done), 1));
  };
  const refuse = (cls: string, desc: string): void => enqueue(Promise.resolve(stringifyJsonLossless({ error: { class: cls, desc } })));
  const handle = (parsed: ShellLine): void => {
    if (parsed.kind === 'skip') return;
    if (parsed.kind === 'invalid') {
      refuse('ParseError', parsed.message);
      return;
    }
    const why = refusal?.(parsed.command);
    if (why !== undefined) {
      refuse(CHECK_ERROR_CLASS, `not sent: ${why}`);
      return;
    }
    lastCommand = parsed.command.command;
    const reply = session.run(parsed.command);
    if (parsed.command.command === 'quit') void reply.then((r) => (quitAnswered = r.ok));
    enqueue(reply.then((r) => r.text));
  };

  for await (const line of readBoundedLines(process.stdin, MAX_LINE_BYTES)) {
    if (lost) break;
    if (line.kind === 'too-long') {
      refuse('ParseError', lineTooLongMessage());
      continue;
    }
    handle(session.read(line.text));
    if (inFlight.length >= MAX_IN_FLIGHT) await inFlight[0];
  }
  if (lost) return; // the close handler decides the exit
  const unclosed = session.end();
  if (unclosed) handle(unclosed);
  await printed;
  if (!lost) exitAfterFlush(0);
}

/** The error class of a line `--check` refused (not one of QEMU's: QEMU never saw it). */
export const CHECK_ERROR_CLASS = 'CheckError';
