/**
 * Replays every recorded QEMU 7.2 transcript through the framer.
 *
 * The recorded chunking is QEMU's real one; random re-chunkings (down to single bytes) check
 * that where recv() happens to cut never changes what comes out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QmpFramer } from '../../../electron/core/qmp/framer';
import type { JsonObject } from '../../../electron/common/json-text';
import { loadRecvStream, loadRecvStreams, transcriptNames } from '../../support/transcripts';

interface Replay {
  readonly messages: JsonObject[];
  readonly dropped: number;
}

function replay(chunks: readonly Buffer[]): Replay {
  const framer = new QmpFramer();
  const messages: JsonObject[] = [];
  for (const chunk of chunks) framer.push(chunk, (message) => messages.push(message));
  return { messages, dropped: framer.end() };
}

/** Cuts the concatenated bytes at the given offsets (duplicates and order do not matter). */
function rechunk(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}

function kindOf(message: JsonObject): string {
  for (const key of ['QMP', 'event', 'return', 'error']) if (key in message) return key;
  return 'unknown';
}

function kinds(messages: readonly JsonObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messages) counts[kindOf(message)] = (counts[kindOf(message)] ?? 0) + 1;
  return counts;
}

const withoutId = ({ id: _id, ...rest }: JsonObject): JsonObject => rest;

describe('transcript replay in the recorded chunking', () => {
  const expected: Record<string, { count: number; kinds: Record<string, number> }> = {
    'devices-and-block': { count: 41, kinds: { QMP: 1, return: 19, error: 2, event: 19 } },
    errors: { count: 48, kinds: { QMP: 1, return: 20, error: 27 } },
    'errors-before-negotiation': { count: 6, kinds: { QMP: 1, error: 3, return: 2 } },
    'events-run-state': { count: 18, kinds: { QMP: 1, return: 10, event: 7 } },
    'greeting-and-capabilities': { count: 6, kinds: { QMP: 1, return: 5 } },
    hmp: { count: 6, kinds: { QMP: 1, return: 5 } },
    ids: { count: 19, kinds: { QMP: 1, return: 16, error: 2 } },
    'many-events': { count: 4003, kinds: { QMP: 1, return: 2002, event: 2000 } },
    'many-events-pipelined': { count: 2002, kinds: { QMP: 1, return: 1001, event: 1000 } },
    oob: { count: 14, kinds: { QMP: 1, return: 8, error: 5 } },
    pretty: { count: 7, kinds: { QMP: 1, return: 5, error: 1 } },
    'qemu-killed': { count: 3, kinds: { QMP: 1, return: 2 } },
    'qemu-killed-midreply': { count: 4, kinds: { QMP: 1, return: 3 } },
    schema: { count: 5, kinds: { QMP: 1, return: 3, error: 1 } },
    tcp: { count: 5, kinds: { QMP: 1, return: 4 } },
    unicode: { count: 4, kinds: { QMP: 1, return: 3 } },
  };

  it('knows every transcript on disk', () => {
    expect(transcriptNames()).toEqual([...Object.keys(expected), 'second-client'].sort());
  });

  for (const [name, facts] of Object.entries(expected)) {
    it(`${name}: ${facts.count} messages, greeting first, nothing dropped unless killed`, () => {
      const { messages, dropped } = replay(loadRecvStream(name).chunks);
      expect(messages).toHaveLength(facts.count);
      expect(kindOf(messages[0]!)).toBe('QMP');
      expect(kinds(messages)).toEqual(facts.kinds);
      expect(dropped).toBe(name === 'qemu-killed-midreply' ? 73_088 : 0);
    });
  }

  it('second-client: each connection gets its own greeting and replies', () => {
    const streams = loadRecvStreams('second-client');
    expect(streams.map((s) => s.conn)).toEqual(['A', 'B']);
    const b = replay(loadRecvStream('second-client', 'B').chunks).messages;
    expect(kindOf(b[0]!)).toBe('QMP');
    expect(b[1]).toEqual({ return: {}, id: 'B-cap' });
  });

  it('pretty=on yields the same messages as the compact monitor', () => {
    const pretty = replay(loadRecvStream('pretty').chunks).messages;
    const compact = replay(loadRecvStream('greeting-and-capabilities').chunks).messages;
    // The pretty run sent ids and one extra bad command; the rest is the same session.
    expect(pretty.slice(0, compact.length).map(withoutId)).toEqual(compact);
    expect(pretty[2]).toMatchObject({ id: 'p-query-status', return: { status: 'running' } });
    expect(pretty[6]).toMatchObject({ id: 'p-err', error: { class: 'CommandNotFound' } });
  });

  it('ids: the 20-digit id comes back as that exact bigint, other ids unchanged', () => {
    const ids = replay(loadRecvStream('ids').chunks).messages.slice(2).map((m) => m['id']);
    expect(ids).toContain(12345678901234567890n);
    expect(ids.slice(0, 8)).toEqual([42, 'abc', { a: [1, 2], b: 'x' }, [1, 'two', null], 1.5, -7, true, null]);
    expect(typeof ids[0]).toBe('number');
  });

  it('schema: the 207,026-byte query-qmp-schema reply arrives whole with 1051 entries', () => {
    const messages = replay(loadRecvStream('schema').chunks).messages;
    const schema = messages.find((m) => Array.isArray(m['return']) && (m['return'] as unknown[]).length > 1000);
    expect((schema?.['return'] as unknown[]).length).toBe(1051);
  });

  it('qemu-killed-midreply: one whole big reply, then the half reply is dropped at EOF', () => {
    const stream = loadRecvStream('qemu-killed-midreply');
    expect(stream.end).toBe('eof');
    const framer = new QmpFramer();
    const messages: JsonObject[] = [];
    for (const chunk of stream.chunks) framer.push(chunk, (m) => messages.push(m));
    expect(messages.filter((m) => Array.isArray(m['return']))).toHaveLength(1);
    expect(framer.bufferedBytes).toBe(73_088);
    expect(framer.end()).toBe(73_088);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('unicode: QEMU escapes non-ASCII, and it decodes to the real characters', () => {
    const messages = replay(loadRecvStream('unicode').chunks).messages;
    expect(messages[2]).toEqual({ return: { name: 'vm-é-✓' }, id: 'café-✓' });
    expect(messages[3]?.['id']).toBe('café raw utf-8');
  });

  it('events-run-state: each run-state event comes before its reply', () => {
    const messages = replay(loadRecvStream('events-run-state').chunks).messages;
    const stop = messages.findIndex((m) => m['event'] === 'STOP');
    expect(stop).toBeGreaterThan(0);
    expect(messages[stop + 1]).toHaveProperty('return');
  });
});

describe('transcript replay in any chunking', () => {
  const streams = transcriptNames().flatMap((name) =>
    loadRecvStreams(name).map((stream) => ({ label: `${name}${stream.conn ? `/${stream.conn}` : ''}`, stream })),
  );

  for (const { label, stream } of streams) {
    const bytes = Buffer.concat(stream.chunks);
    const reference = replay(stream.chunks);

    it(`${label}: random re-chunkings give the same messages`, () => {
      const runs = bytes.length > 100_000 ? 8 : 40;
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 200 }), (cuts) => {
          const result = replay(rechunk(bytes, cuts));
          expect(result.messages).toEqual(reference.messages);
          expect(result.dropped).toBe(reference.dropped);
        }),
        { numRuns: runs, seed: 42 },
      );
    });

    it(`${label}: every message is delivered by the push that brings its last byte`, () => {
      // Fed byte by byte, a message comes out exactly at its last byte: that is the reference.
      const lastByte: number[] = [];
      const byteWise = new QmpFramer();
      for (let i = 0; i < bytes.length; i++) byteWise.push(bytes.subarray(i, i + 1), () => lastByte.push(i));
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 100 }), (cuts) => {
          const framer = new QmpFramer();
          let offset = 0;
          let delivered = 0;
          for (const piece of rechunk(bytes, cuts)) {
            offset += piece.length;
            framer.push(piece, () => delivered++);
            const due = lastByte.filter((at) => at < offset).length;
            expect(delivered).toBe(due);
          }
        }),
        { numRuns: bytes.length > 100_000 ? 3 : 20, seed: 5 },
      );
    });

    it(`${label}: 1-byte chunks give the same messages`, () => {
      const oneByte = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      const result = replay(oneByte);
      expect(result.messages).toEqual(reference.messages);
      expect(result.dropped).toBe(reference.dropped);
    });
  }
});
