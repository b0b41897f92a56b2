/**
 * The non-TTY shell: commands from stdin, exactly one JSON line per command on stdout.
 *
 * Commands are pipelined (sent as soon as they are read, up to a window) because QEMU, with
 * OOB negotiated, queues several in-band commands and answers them in order; output still
 * follows input order because each line's result is printed through one ordered chain. Input
 * is read with a bound per line, so a runaway line costs neither memory nor QEMU's time.
 */
import { QmpConnectionError, type QmpError } from '../core/qmp/errors';
import { stringifyJsonLossless, type JsonValue } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';
import { readBoundedLines } from './bounded-lines';
import { describeError, errorReplyFor } from './cli-errors';
import { exitAfterFlush, failAndExit, writeLine } from './output';
import { lineTooLongMessage, MAX_LINE_BYTES, parseShellLine, type ShellCommand } from './shell-line';

/** How many replies may be outstanding before we stop reading input. */
const MAX_IN_FLIGHT = 64;

/** Runs the pipe shell until input ends (exit 0) or the connection dies (exit 2). */
export async function runPipeShell(client: QmpClient, timeoutMs: number): Promise<void> {
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
    const done = printed.then(async () => writeLine(process.stdout, await line));
    printed = done;
    inFlight.push(done);
    void done.then(() => inFlight.splice(inFlight.indexOf(done), 1));
  };

  for await (const line of readBoundedLines(process.stdin, MAX_LINE_BYTES)) {
    if (lost) break;
    if (line.kind === 'too-long') {
      enqueue(Promise.resolve(stringifyJsonLossless({ error: { class: 'ParseError', desc: lineTooLongMessage() } })));
      continue;
    }
    const parsed = parseShellLine(line.text);
    if (parsed.kind === 'skip') continue;
    if (parsed.kind === 'invalid') {
      enqueue(Promise.resolve(stringifyJsonLossless({ error: { class: 'ParseError', desc: parsed.message } })));
      continue;
    }
    lastCommand = parsed.command.command;
    const reply = replyLine(client, parsed.command, timeoutMs);
    if (parsed.command.command === 'quit') void reply.then((r) => (quitAnswered = r.ok));
    enqueue(reply.then((r) => r.text));
    if (inFlight.length >= MAX_IN_FLIGHT) await inFlight[0];
  }
  if (lost) return; // the close handler decides the exit
  await printed;
  if (!lost) exitAfterFlush(0);
}

/** One rendered reply and whether the command succeeded. */
export interface ReplyLine {
  readonly text: string;
  readonly ok: boolean;
}

/** Runs one command and renders its outcome as QEMU would (`return`/`error`, user's id echoed). */
export async function replyLine(client: QmpClient, cmd: ShellCommand, timeoutMs: number, indent?: number): Promise<ReplyLine> {
  const withId = (body: Record<string, unknown>): Record<string, unknown> =>
    cmd.userId === undefined ? body : { ...body, id: cmd.userId };
  try {
    const result: JsonValue = await client.execute(cmd.command, cmd.args, { timeoutMs, oob: cmd.oob });
    return { text: stringifyJsonLossless(withId({ return: result ?? {} }), indent), ok: true };
  } catch (error) {
    return { text: stringifyJsonLossless(withId({ error: errorReplyFor(error) }), indent), ok: false };
  }
}
