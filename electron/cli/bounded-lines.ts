/**
 * Splits a byte stream into lines, never holding more than a bound of any one line.
 *
 * `readline` keeps a whole line in memory however long it is, so a 100 MB line on stdin became
 * a 100 MB string (and a 100 MB command for QEMU). Here a line past the bound is reported the
 * moment it crosses it and its remaining bytes are dropped as they arrive, so memory stays at
 * the bound plus one chunk, and the error shows up without waiting for the line to end.
 */

/** One unit of input: a line's text, or the news that a line was too long (and is skipped). */
export type BoundedLine = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too-long'; readonly maxBytes: number };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Yields the lines of `input` (LF or CRLF ends a line; a last line without one still counts).
 *
 * A line longer than `maxBytes` (not counting its line end) yields one `too-long` as soon as that
 * is known, and nothing else; reading goes on with the next line. Reading is pulled, so a
 * consumer that is busy stops the stream (back-pressure) instead of letting lines pile up.
 */
export async function* readBoundedLines(input: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let size = 0;
  // A line that crossed the bound: reported already, its bytes are skipped to its end.
  let skipping = false;
  const take = (bytes: Buffer): boolean => {
    if (skipping || bytes.length === 0) return false;
    // One extra byte is allowed for the CR of a CRLF, checked again when the line ends.
    if (size + bytes.length > maxBytes + 1) {
      skipping = true;
      parts = [];
      size = 0;
      return true;
    }
    parts.push(Buffer.from(bytes)); // a copy, so the caller's chunk is not kept alive
    size += bytes.length;
    return false;
  };
  const finish = (): BoundedLine | undefined => {
    const wasSkipping = skipping;
    let line = Buffer.concat(parts, size);
    parts = [];
    size = 0;
    skipping = false;
    if (wasSkipping) return undefined;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
    if (line.length > maxBytes) return { kind: 'too-long', maxBytes };
    return { kind: 'line', text: line.toString('utf8') };
  };

  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(LF, start);
      if (take(bytes.subarray(start, end < 0 ? bytes.length : end))) yield { kind: 'too-long', maxBytes };
      if (end < 0) break;
      const line = finish();
      if (line) yield line;
      start = end + 1;
    }
  }
  if (size > 0) {
    const line = finish();
    if (line) yield line;
  }
}
