/**
 * What a terminal shows after a stream of output: enough of a VT100 to replay what Node's
 * readline writes (CR, LF, backspace, cursor moves, erase line / screen below).
 *
 * A log of the bytes with escapes stripped cannot tell a redrawn line from a garbled one: a
 * line erased and written again reads twice. Replaying the cursor moves gives the rows a person
 * sees, so tests can assert that an event sits on its own row and the prompt came back intact.
 */

/** The rows on screen (trailing empty rows dropped) and the cursor. */
export interface Screen {
  readonly rows: readonly string[];
  readonly cursor: { readonly row: number; readonly col: number };
  /** The rows joined by newlines. */
  readonly text: string;
}

/** Replays `output` on an endless blank screen (no wrapping: tests' ptys report no width). */
export function renderScreen(output: string): Screen {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = (): string[] => (rows[row] ??= []);
  // eslint-disable-next-line no-control-regex
  const tokens = output.match(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[^[]|[^]/gu) ?? [];
  for (const token of tokens) {
    if (token === '\r') col = 0;
    else if (token === '\n') row += 1;
    else if (token === '\b') col = Math.max(0, col - 1);
    else if (token.startsWith('\x1b[')) {
      const n = Number(token.slice(2, -1).split(';')[0] || '0');
      const move = n || 1;
      switch (token.at(-1)) {
        case 'A':
          row = Math.max(0, row - move);
          break;
        case 'B':
          row += move;
          break;
        case 'C':
          col += move;
          break;
        case 'D':
          col = Math.max(0, col - move);
          break;
        case 'G':
          col = move - 1;
          break;
        case 'K':
          if (n === 0) line().length = Math.min(line().length, col);
          else if (n === 1) line().fill(' ', 0, col + 1);
          else rows[row] = [];
          break;
        case 'J':
          if (n === 0) {
            line().length = Math.min(line().length, col);
            rows.length = row + 1;
          }
          break;
        default: // colours and modes do not move anything
      }
    } else if (!token.startsWith('\x1b') && token >= ' ') {
      const cells = line();
      while (cells.length < col) cells.push(' ');
      cells[col] = token;
      col += 1;
    }
  }
  const text = Array.from(rows, (cells) => (cells ?? []).join(''));
  while (text.length > 0 && text[text.length - 1] === '') text.pop();
  return { rows: text, cursor: { row, col }, text: text.join('\n') };
}
