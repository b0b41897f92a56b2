import { describe, expect, it } from 'vitest';
import { WireLog } from '../../../electron/core/wire/wire-log';

describe('WireLog', () => {
  it('gives entries after a seq with bytes, times and exact text, oldest first', () => {
    const log = new WireLog();
    log.add('in', '{"QMP": {}}\r\n', 1);
    log.add('out', '{"execute":"qmp_capabilities","id":0}\n', 2);
    log.add('in', '{"return": "\u00e9"}\r\n', 3);
    const page = log.since(0);
    expect(page.entries.map((e) => [e.seq, e.dir, e.at, e.bytes])).toEqual([
      [1, 'in', 1, 13],
      [2, 'out', 2, 38],
      [3, 'in', 3, 18],
    ]);
    expect(page.entries[2]).toMatchObject({ text: '{"return": "\u00e9"}\r\n', textLength: 17, truncated: false });
    expect(page).toMatchObject({ lastSeq: 3, dropped: 0, more: false });
    expect(log.since(2).entries.map((e) => e.seq)).toEqual([3]);
    expect(log.since(3)).toMatchObject({ entries: [], lastSeq: 3 });
  });

  it('drops the oldest past its bound, counting them, and keeps an entry bigger than the bound cut to it', () => {
    const log = new WireLog(100);
    for (let i = 0; i < 10; i++) log.add('in', 'x'.repeat(30), i);
    const page = log.since(0);
    expect(page.entries.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(page.dropped).toBe(7);
    log.add('in', 'y'.repeat(250), 11);
    const big = log.since(0);
    expect(big.entries.map((e) => e.seq)).toEqual([11]);
    expect(big.entries[0]).toMatchObject({ bytes: 250, textLength: 250, truncated: true });
    expect(big.entries[0]!.text).toHaveLength(100);
    expect(big.dropped).toBe(10);
  });

  it('cuts texts for display and pages by count', () => {
    const log = new WireLog();
    for (let i = 0; i < 5; i++) log.add('out', `${i}`.repeat(50), i);
    const page = log.since(0, 10, 2);
    expect(page.entries.map((e) => [e.seq, e.text, e.textLength, e.truncated])).toEqual([
      [1, '0'.repeat(10), 50, true],
      [2, '1'.repeat(10), 50, true],
    ]);
    expect(page).toMatchObject({ lastSeq: 2, more: true });
  });
});

describe('WireLog across many entries', () => {
  it('keeps seqs, directions, times and texts exact while the oldest drop and its arrays compact', () => {
    const log = new WireLog(64 * 1024);
    const text = (i: number) => `{"event": "E${i}", "data": {"name": "${i % 3 === 0 ? 'ü'.repeat(i % 50) : 'x'.repeat(i % 50)}"}}\r\n`;
    for (let i = 1; i <= 20_000; i++) log.add(i % 2 === 0 ? 'in' : 'out', text(i), i * 1.5);
    expect(log.heldBytes).toBeLessThanOrEqual(64 * 1024);
    const page = log.since(0, 16 * 1024, 5000);
    const first = page.entries[0]!.seq;
    expect(page.dropped).toBe(first - 1);
    expect(page.entries.at(-1)!.seq).toBe(20_000);
    page.entries.forEach((entry, k) => {
      const i = first + k;
      expect(entry).toEqual({ seq: i, dir: i % 2 === 0 ? 'in' : 'out', at: i * 1.5, bytes: Buffer.byteLength(text(i)), text: text(i), textLength: text(i).length, truncated: false });
    });
  });
});

describe('WireLog columns', () => {
  it('keeps order when it grows after the oldest entries have dropped (a ring that wrapped)', () => {
    const log = new WireLog(64 * 1024);
    for (let i = 1; i <= 300; i++) log.add('in', `${i}:`.padEnd(300, 'a'), i);
    const before = log.since(0).entries;
    expect(before[0]!.seq).toBeGreaterThan(1);
    for (let i = 301; i <= 2000; i++) log.add('out', `${i}:b`, i);
    const page = log.since(0, 16 * 1024, 5000).entries;
    expect(page.map((entry) => entry.seq)).toEqual(Array.from({ length: page.length }, (_, k) => page[0]!.seq + k));
    for (const entry of page) expect(entry.text.startsWith(`${entry.seq}:`)).toBe(true);
    expect(page.at(-1)).toMatchObject({ seq: 2000, dir: 'out', at: 2000, text: '2000:b' });
  });
});
