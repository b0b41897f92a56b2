/**
 * Line output and orderly exit for the CLI.
 *
 * Scripts read our stdout, so every line must reach it before the process ends: we keep the
 * promise of the last write per stream and exit only after those settled, instead of calling
 * `process.exit` with data still queued (which loses output on pipes).
 */
import { describeError, EXIT_FAILURE } from './cli-errors';

type Stream = NodeJS.WriteStream;

const lastWrite = new WeakMap<Stream, Promise<void>>();
let exiting = false;

/** Writes one line (a newline is added); a reader that went away (EPIPE) is ignored here. */
export function writeLine(stream: Stream, text: string): void {
  if (stream.destroyed) return;
  const done = new Promise<void>((resolve) => {
    stream.write(`${text}\n`, () => resolve());
  });
  lastWrite.set(stream, done);
}

/** Prints `error: MESSAGE` on stderr: the one line a failed run leaves. */
export function writeError(error: unknown): void {
  writeLine(process.stderr, `error: ${describeError(error)}`);
}

/** Resolves once everything written so far to stdout and stderr was handed to the OS. */
export async function flushOutput(): Promise<void> {
  await Promise.all([lastWrite.get(process.stdout), lastWrite.get(process.stderr)]);
}

/**
 * Ends the process with `code` once output is flushed.
 *
 * Open sockets and timers must not keep us alive (the spec wants a prompt exit, not a drain),
 * hence `process.exit` rather than only `process.exitCode`. Only the first call counts, so a
 * late error cannot change an exit already decided.
 */
export function exitAfterFlush(code: number): void {
  if (exiting) return;
  exiting = true;
  process.exitCode = code;
  void flushOutput().then(() => process.exit(code));
}

/** True once an exit was requested; late callbacks use it to stay quiet. */
export function isExiting(): boolean {
  return exiting;
}

/** Fails with `error:` + exit 2 right away: the path for deadlines and unexpected crashes. */
export function failAndExit(error: unknown, code = EXIT_FAILURE): void {
  if (exiting) return;
  writeError(error);
  exitAfterFlush(code);
}

/**
 * Makes stray exceptions and rejections one `error:` line with exit 2, and treats a closed
 * stdout (e.g. piped into `head`) as a normal end rather than a crash.
 */
export function installProcessGuards(): void {
  process.on('uncaughtException', (error) => failAndExit(error));
  process.on('unhandledRejection', (reason) => failAndExit(reason));
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      exiting = true;
      process.exit(0);
    }
    // Anything else on stdout cannot be reported there; stderr still works.
    failAndExit(error);
  });
}
