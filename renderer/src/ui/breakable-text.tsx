/**
 * Long machine text (paths, compact JSON) that wraps at its own separators, not mid-word.
 *
 * Browsers find no break opportunity in `/run/user/1000/vms/qmp.sock` or `{"a":1,"b":2}`, so
 * such values either overflow their box or, with `overflow-wrap: anywhere`, split anywhere,
 * including inside event names and flags; and they do break after a hyphen, which splits
 * `virtio-backend` or `host-qmp-quit`. So each piece (up to and including its separator) is
 * an inline block, followed by a `<wbr>`: lines break between pieces, and inside one only when
 * that piece alone is wider than the line. The text is split into React nodes, so nothing is
 * ever parsed as HTML, and the text content (copy, find, tests) is the value unchanged.
 */
import { Fragment } from 'react';
import styles from './breakable-text.module.css';

/** `text` split after each character in `after`, as pieces that keep their separator. */
export function splitAfter(text: string, after: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (after.includes(text[i]!)) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** Props of {@link BreakableText}. */
export interface BreakableTextProps {
  readonly text: string;
  /** Characters to break after (default `/`). */
  readonly after?: string;
  /**
   * Never split a piece, even one wider than the line (for table cells: the column grows to
   * the widest piece and the table scrolls inside its card instead).
   */
  readonly wholePieces?: boolean;
}

/** `text` with a line-break opportunity after every character of `after` (default `/`). */
export function BreakableText({ text, after = '/', wholePieces = false }: BreakableTextProps) {
  const pieces = splitAfter(text, after);
  const className = wholePieces ? `${styles.piece} ${styles.whole}` : styles.piece;
  return (
    <>
      {pieces.map((piece, i) => (
        // Pieces can repeat ("a/a/"), so their position is their identity.
        <Fragment key={i}>
          <span className={className}>{piece}</span>
          {i < pieces.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
