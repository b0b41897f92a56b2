import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedLines, type BoundedLine } from '../../../electron/cli/bounded-lines';

async function lines(chunks: readonly (string | Buffer)[], maxBytes = 8): Promise<BoundedLine[]> {
  const out: BoundedLine[] = [];
  for await (const line of readBoundedLines(Readable.from(chunks), maxBytes)) out.push(line);
  return out;
}
const text = (t: string): BoundedLine => ({ kind: 'line', text: t });
const tooLong: BoundedLine = { kind: 'too-long', maxBytes: 8 };

describe('readBoundedLines', () => {
  it('splits on LF and CRLF across chunks, keeping a last line without LF and empty lines', async () => {
    expect(await lines(['a\r', '\nb', 'c\n\nd'])).toEqual([text('a'), text('bc'), text(''), text('d')]);
    expect(await lines(['a\n'])).toEqual([text('a')]);
    expect(await lines([])).toEqual([]);
  });

  it('decodes UTF-8 split between chunks', async () => {
    const bytes = Buffer.from('é€\n');
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual([text('é€')]);
  });

  it('takes a line of exactly the bound, with or without CR', async () => {
    expect(await lines(['12345678\n12345678\r\n'])).toEqual([text('12345678'), text('12345678')]);
  });

  it('reports a longer line once, as soon as it crosses the bound, and goes on with the next', async () => {
    const seen: BoundedLine[] = [];
    const input = Readable.from(['1234', '5678', '9', 'more', 'and more\nok\n']);
    for await (const line of readBoundedLines(input, 8)) {
      seen.push(line);
      // Reported before the rest of the line was read.
      if (line.kind === 'too-long') expect(input.readableEnded).toBe(false);
    }
    expect(seen).toEqual([tooLong, text('ok')]);
    expect(await lines(['123456789'])).toEqual([tooLong]);
    expect(await lines(['123456789\r\n'])).toEqual([tooLong]);
  });

  it('skips a 50 MB line and reads the next one', async () => {
    async function* big(): AsyncGenerator<Buffer> {
      const mib = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 50; i++) yield mib;
      yield Buffer.from('\nafter\n');
    }
    const out: BoundedLine[] = [];
    for await (const line of readBoundedLines(big(), 1024 * 1024)) out.push(line);
    expect(out).toEqual([{ kind: 'too-long', maxBytes: 1024 * 1024 }, text('after')]);
  });
});
