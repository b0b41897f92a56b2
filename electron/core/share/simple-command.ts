/**
 * The shared endpoint's fast path for the commonest client message: one whole line holding one
 * command with no arguments (`{"execute": "query-status", "id": 7}\n`).
 *
 * Every round trip otherwise pays for QEMU's byte-by-byte lexer, its parser and the request
 * checks (qemu-json-lexer.ts, qemu-json-parser.ts, request-check.ts) before the command can
 * go upstream. The patterns below accept only text whose meaning through that path is certain:
 * printable ASCII strings without quotes or escapes (so each decodes to itself), an id that is
 * a safe integer or such a string, `execute` and `id` once each in either order, QEMU's four
 * whitespace bytes between tokens, and after the closing brace only blanks up to the end of the
 * line or chunk. A match therefore starts and ends where the lexer is idle (a line end is never
 * inside a token: QEMU's lexer ends or refuses a token at a control byte), so the full path may
 * take over after any match, or before it, with the same result. Anything else, however close,
 * takes the full path; test/unit/share/simple-command.test.ts checks that the two agree.
 */
import type { ClientId } from './request-check';

/** A command the fast path relays, as the full path would decide it; `end` is where its line ends. */
export interface SimpleCommand {
  readonly command: string;
  readonly id: ClientId;
  readonly end: number;
}

const WS = '[ \\t\\r\\n]*';
const TEXT = '"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)"';
const ID = '(?:(0|[1-9][0-9]{0,14})|"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)")';
const LINE_END = '[ \\t\\r]*(?:\\n|$)';
// Sticky (`y`): each match must start exactly where the previous one (or the chunk) began.
const EXECUTE_FIRST = new RegExp(`${WS}\\{${WS}"execute"${WS}:${WS}${TEXT}(?:${WS},${WS}"id"${WS}:${WS}${ID})?${WS}\\}${LINE_END}`, 'y');
const ID_FIRST = new RegExp(`${WS}\\{${WS}"id"${WS}:${WS}${ID}${WS},${WS}"execute"${WS}:${WS}${TEXT}${WS}\\}${LINE_END}`, 'y');
const NO_ID: ClientId = { present: false };

/**
 * The command whose line starts at `at` in `text` (a chunk as latin1, one char per byte) when
 * that line is exactly one argument-less `execute` (not `qmp_capabilities`, which a negotiated
 * client gets an error for), else undefined.
 *
 * Only for a negotiated client whose reader holds nothing from earlier bytes.
 */
export function simpleCommandAt(text: string, at: number): SimpleCommand | undefined {
  let command: string | undefined;
  let number: string | undefined;
  let string: string | undefined;
  EXECUTE_FIRST.lastIndex = at;
  let match = EXECUTE_FIRST.exec(text);
  if (match) [, command, number, string] = match;
  else {
    ID_FIRST.lastIndex = at;
    match = ID_FIRST.exec(text);
    if (!match) return undefined;
    [, number, string, command] = match;
  }
  if (command === undefined || command === 'qmp_capabilities') return undefined;
  const id: ClientId = number !== undefined ? { present: true, value: Number(number) } : string !== undefined ? { present: true, value: string } : NO_ID;
  return { command, id, end: at + match[0].length };
}
