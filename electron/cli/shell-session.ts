/**
 * What both shells (terminal and piped) do with a line, whatever reads it and prints the
 * result: qmp-shell's modes and blocks (`-H`, `transaction(`), `-v` echo, `-l` log, the
 * schema check, and how a reply is rendered. One place, so a script and a person typing get
 * the same commands sent for the same lines.
 */
import { stringifyJsonLossless, type JsonValue } from '../common/json-text';
import type { QmpClient } from '../core/qmp/qmp-client';
import { errorReplyFor } from './cli-errors';
import type { CliWire } from './cli-wire';
import { ShellLog } from './shell-log';
import { lineTooLongMessage, MAX_LINE_BYTES, parseShellLine, type ShellCommand, type ShellLine } from './shell-line';
import { TransactionBlock } from './transaction-block';

/** The shell's prompt, as qmp-shell's. */
export const PROMPT = '(QEMU) ';
/** The prompt inside a `transaction(` block, as qmp-shell's. */
export const TRANSACTION_PROMPT = 'TRANS> ';

/** How the session was asked to behave. */
export interface SessionOptions {
  readonly timeoutMs: number;
  /** Indent of JSON replies; undefined for one line. */
  readonly indent: number | undefined;
  readonly hmp: boolean;
  /** Echo each command exactly as sent, through `echo`. */
  readonly verbose: boolean;
  readonly log: string | undefined;
  /** Where verbose echo and notices go (above the prompt, or stderr when piped). */
  readonly notice: (text: string) => void;
}

/** One rendered reply and whether the command succeeded. */
export interface ReplyLine {
  /** What to print; empty for an HMP command that printed nothing (`stop`). */
  readonly text: string;
  readonly ok: boolean;
}

/** A shell session over one connection. */
export class ShellSession {
  private readonly block = new TransactionBlock();
  private readonly log: ShellLog | undefined;
  private echoing = false;

  public constructor(
    private readonly client: QmpClient,
    wire: CliWire,
    private readonly options: SessionOptions,
  ) {
    this.log = options.log === undefined ? undefined : ShellLog.open(options.log, (m) => options.notice(`warning: ${m}`));
    // Exact text as sent, ids included; only what the user's commands write, not the shell's own reads.
    if (options.verbose) wire.add((dir, text) => dir === 'out' && this.echoing && options.notice(text.replace(/\r?\n$/, '')));
  }

  /** The prompt for the next line. */
  public get prompt(): string {
    return this.block.isOpen ? TRANSACTION_PROMPT : PROMPT;
  }

  /** Reads one input line: a command to send, nothing (yet), or why it cannot be read. */
  public read(line: string): ShellLine {
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) return { kind: 'invalid', message: lineTooLongMessage() };
    if (this.options.hmp) return hmpLine(line);
    return this.block.feed(line) ?? parseShellLine(line);
  }

  /** Input ended: an open `transaction(` block is reported, never sent. */
  public end(): ShellLine | undefined {
    return this.block.end();
  }

  /** Ctrl-C: drops an open block; true when there was one. */
  public cancelBlock(): boolean {
    return this.block.cancel();
  }

  /** Runs `cmd` and renders its outcome (QEMU's `return`/`error`, the user's id echoed). */
  public async run(cmd: ShellCommand): Promise<ReplyLine> {
    const withId = (body: Record<string, unknown>): Record<string, unknown> => (cmd.userId === undefined ? body : { ...body, id: cmd.userId });
    let result: Promise<JsonValue>;
    this.echoing = true;
    try {
      // `execute` writes synchronously, so the echo sees exactly this command's line.
      result = this.client.execute(cmd.command, cmd.args, { timeoutMs: this.options.timeoutMs, oob: cmd.oob });
    } finally {
      this.echoing = false;
    }
    try {
      const value = (await result) ?? {};
      this.log?.write(cmd, { return: value });
      if (this.options.hmp) return { text: hmpText(value), ok: true };
      return { text: stringifyJsonLossless(withId({ return: value }), this.options.indent), ok: true };
    } catch (error) {
      const reply = errorReplyFor(error);
      this.log?.write(cmd, { error: reply });
      if (this.options.hmp) return { text: `error: ${reply.class}: ${reply.desc}`, ok: false };
      return { text: stringifyJsonLossless(withId({ error: reply }), this.options.indent), ok: false };
    }
  }
}

/** In HMP mode each line is an HMP command line, sent as qmp-shell -H sends it. */
function hmpLine(line: string): ShellLine {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return { kind: 'skip' };
  return { kind: 'command', command: { command: 'human-monitor-command', args: { 'command-line': text }, oob: false, userId: undefined } };
}

/** HMP's answer is text with CRLF line ends: shown as lines, without the last line end. */
function hmpText(value: JsonValue): string {
  if (typeof value !== 'string') return stringifyJsonLossless(value);
  return value.replace(/\r\n/g, '\n').replace(/\n$/, '');
}
