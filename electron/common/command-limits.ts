/**
 * What a QMP command may look like before it is sent: one rule for every way in (the IPC
 * contract, the CLI's `exec`, and both of its shells).
 *
 * QEMU looks a name up in its command table and refuses anything else, so a name that is not a
 * QAPI name can only waste QEMU's time: a 100 MB "name" costs it tens of seconds of CPU and a
 * 100 MB error reply. Refusing early keeps that work on our side of the socket.
 */

/** Longest command name we send; QEMU's own names stay well under 64 characters. */
export const MAX_COMMAND_NAME_LENGTH = 128;

/**
 * A QAPI command name: letters, digits, `-`, `_`, and the dots of downstream prefixes such as
 * `__com.redhat_` (QAPI's rule for vendor extensions), 1 to {@link MAX_COMMAND_NAME_LENGTH} long.
 */
export const COMMAND_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_COMMAND_NAME_LENGTH}}$`);

/**
 * Longest arguments text (JSON) and, in the CLI, longest input line: 1 MiB.
 *
 * Real arguments are a few hundred bytes; the bound lets a reader stop buffering early.
 */
export const MAX_COMMAND_TEXT_LENGTH = 1024 * 1024;

/**
 * Why `name` cannot be a command name, or undefined when it can.
 *
 * The reason never repeats a long name in full, so an error line stays one short line.
 */
export function commandNameProblem(name: string): string | undefined {
  if (COMMAND_NAME_PATTERN.test(name)) return undefined;
  if (name.length > MAX_COMMAND_NAME_LENGTH) {
    return `command name too long (${name.length} characters; at most ${MAX_COMMAND_NAME_LENGTH})`;
  }
  if (name === '') return 'empty command name';
  return `'${name}' is not a QMP command name (letters, digits, '-', '_' and '.')`;
}
