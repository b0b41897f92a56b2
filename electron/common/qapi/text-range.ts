/**
 * Where parts of a typed command sit in its text, so a diagnostic can underline them.
 *
 * Offsets are UTF-16 indexes into the text as typed (CodeMirror's positions), `to` exclusive.
 */

/** A half-open range `[from, to)` of the text. */
export interface TextRange {
  readonly from: number;
  readonly to: number;
}

/**
 * One argument as written: its path from the arguments object (`['file', 'filename']`, array
 * items by index), where its key and its value are, and whether a number was written with a
 * fraction or exponent (`1.0`, `1e3`), which QEMU reads as a float even when it is whole.
 */
export interface ArgumentSpan {
  readonly path: readonly (string | number)[];
  readonly key: TextRange | undefined;
  readonly value: TextRange;
  readonly floatLiteral: boolean;
}
