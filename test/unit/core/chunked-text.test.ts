/** Pooled chunks give back exactly the bytes written, across chunks and for texts bigger than one. */
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, ChunkedText } from '../../../electron/core/chunked-text';

const whole = (text: ChunkedText, start?: number, end?: number): string => Buffer.concat(text.slices(start, end)).toString('utf8');

describe('ChunkedText', () => {
  it('holds small texts in order, multi-byte characters included', () => {
    const text = new ChunkedText();
    const parts = ['{"a":1}', ',', '"ÄÖÜ 日本 😀"', '\n'];
    for (const part of parts) text.add(part);
    expect(text.length).toBe(Buffer.byteLength(parts.join('')));
    expect(whole(text)).toBe(parts.join(''));
    text.release();
    expect(text.length).toBe(0);
  });

  it('spreads many texts over several chunks and slices any byte range of them', () => {
    const text = new ChunkedText();
    const lines: string[] = [];
    for (let i = 0; lines.length * 100 < CHUNK_BYTES * 2.5; i += 1) lines.push(`${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`);
    for (const line of lines) text.add(line);
    const expected = Buffer.from(lines.join(''));
    expect(text.slices().length).toBeGreaterThanOrEqual(3);
    expect(Buffer.concat(text.slices()).equals(expected)).toBe(true);
    const from = CHUNK_BYTES - 1234;
    const to = CHUNK_BYTES * 2 + 99;
    expect(Buffer.concat(text.slices(from, to)).equals(expected.subarray(from, to))).toBe(true);
    text.release();
  });

  it('keeps a text bigger than a chunk whole, and reuses released chunks without mixing texts', () => {
    const big = 'y'.repeat(CHUNK_BYTES + 10);
    const first = new ChunkedText();
    first.add('head,');
    first.add(big);
    first.add(',tail');
    expect(whole(first)).toBe(`head,${big},tail`);
    first.release();
    const second = new ChunkedText();
    second.add('fresh');
    expect(whole(second)).toBe('fresh');
    second.release();
  });
});
