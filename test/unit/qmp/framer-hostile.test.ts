/**
 * Framer behaviour against a hostile or broken peer.
 *
 * QEMU never sends these, so they are built here: floods, huge and endless messages, deep
 * nesting, invalid UTF-8, non-objects and garbage. Each must end in a clear QmpProtocolError
 * (never a RangeError, stack overflow or unbounded buffer), or, for the big-but-legal
 * cases, simply work.
 */
import { describe, expect, it } from 'vitest';
import { QmpProtocolError } from '../../../electron/core/qmp/errors';
import { QmpFramer } from '../../../electron/core/qmp/framer';
import type { JsonObject } from '../../../electron/common/json-text';

const CHUNK = 64 * 1024;

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Feeds chunks until the framer throws; returns the error (or undefined) and the messages. */
function feed(chunks: Iterable<Buffer>, framer = new QmpFramer()): { error: unknown; messages: JsonObject[] } {
  const messages: JsonObject[] = [];
  try {
    for (const chunk of chunks) framer.push(chunk, (message) => messages.push(message));
  } catch (error) {
    return { error, messages };
  }
  return { error: undefined, messages };
}

function expectProtocolError(input: Buffer | string, pattern: RegExp, framer?: QmpFramer): JsonObject[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const { error, messages } = feed([bytes], framer);
  expect(error).toBeInstanceOf(QmpProtocolError);
  expect((error as Error).message).toMatch(pattern);
  return messages;
}

/** A pure-ASCII `return` array of `count` small objects, like a big query reply. */
function bigReply(count: number): Buffer {
  const item = '{"node-name": "#block123", "offset": 1234567, "flags": ["a", "b"], "ok": true}';
  return Buffer.from(`{"return": [${Array.from({ length: count }, () => item).join(', ')}]}\r\n`);
}

describe('QmpFramer against hostile peers', () => {
  it('accepts a 50 MB reply in 64 KiB chunks under the default limit', () => {
    const reply = bigReply(640_000);
    expect(reply.length).toBeGreaterThan(50_000_000);
    const { error, messages } = feed(chunksOf(reply, CHUNK));
    expect(error).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect((messages[0]?.['return'] as unknown[]).length).toBe(640_000);
  });

  it('fails a message over a configured limit as soon as it passes it, holding no more', () => {
    const limit = 1024 * 1024;
    const framer = new QmpFramer({ maxMessageBytes: limit });
    let fed = 0;
    let maxBuffered = 0;
    const { error } = feed(
      (function* () {
        for (const chunk of chunksOf(bigReply(640_000), CHUNK)) {
          fed += chunk.length;
          maxBuffered = Math.max(maxBuffered, framer.bufferedBytes);
          yield chunk;
        }
      })(),
      framer,
    );
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/exceeds the 1048576-byte limit/);
    expect(fed).toBeLessThanOrEqual(limit + CHUNK);
    expect(maxBuffered).toBeLessThanOrEqual(limit);
  });

  it('fails an over-limit message that arrives inside a single chunk', () => {
    expectProtocolError(Buffer.from(`{"a":"${'x'.repeat(200)}"}`), /exceeds the 100-byte limit/, new QmpFramer({ maxMessageBytes: 100 }));
  });

  it('delivers 100,000 events and then the reply, in order', () => {
    const event = '{"timestamp": {"seconds": 1767225600, "microseconds": 123456}, "event": "RESUME"}\r\n';
    const stream = Buffer.from(`${event.repeat(100_000)}{"return": {}, "id": "late"}\r\n`);
    const { error, messages } = feed(chunksOf(stream, CHUNK));
    expect(error).toBeUndefined();
    expect(messages).toHaveLength(100_001);
    expect(messages.slice(0, 100_000).every((m) => m['event'] === 'RESUME')).toBe(true);
    expect(messages[100_000]).toEqual({ return: {}, id: 'late' });
  });

  it('refuses 100k nested brackets without overflowing the stack', () => {
    const deep = (open: string, close: string): string => `{"a":${open.repeat(100_000)}1${close.repeat(100_000)}}\r\n`;
    expectProtocolError(deep('[', ']'), /nested deeper than 512 levels/);
    expectProtocolError(deep('{"b":', '}'), /nested deeper than 512 levels/);
  });

  it('holds an endless unterminated message only up to the size limit', () => {
    const framer = new QmpFramer({ maxMessageBytes: 1024 * 1024 });
    const { error } = feed(chunksOf(Buffer.from(`{"a":${'['.repeat(2_000_000)}`), CHUNK), framer);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/exceeds the 1048576-byte limit/);
  });

  it('accepts nesting up to the limit and refuses one more', () => {
    const nested = (depth: number): string => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(feed([Buffer.from(nested(8))], new QmpFramer({ maxDepth: 8 })).messages).toHaveLength(1);
    expectProtocolError(nested(9), /nested deeper than 8 levels/, new QmpFramer({ maxDepth: 8 }));
  });

  it('checks depth on the newline fast path too, through arrays and objects alike', () => {
    // CRLF-terminated, so the native parser frames these and the parsed value is walked.
    const mixed = (depth: number): string => `{"a":${'[{"b":'.repeat((depth - 1) / 2)}null${'}]'.repeat((depth - 1) / 2)}}\r\n`;
    expect(feed([Buffer.from(mixed(9))], new QmpFramer({ maxDepth: 9 })).messages).toEqual([JSON.parse(mixed(9))]);
    expectProtocolError(mixed(11), /nested deeper than 9 levels/, new QmpFramer({ maxDepth: 9 }));
    // The densest over-deep message there is (short messages skip the walk: they cannot nest that deep).
    expect(feed([Buffer.from('{"":[[[]]]}\r\n')], new QmpFramer({ maxDepth: 4 })).messages).toEqual([{ '': [[[]]] }]);
    expectProtocolError('{"":[[[[]]]]}\r\n', /nested deeper than 4 levels/, new QmpFramer({ maxDepth: 4 }));
  });

  it('finds rounded integers anywhere in a parsed message, next to other leaves', () => {
    const text = '{"return": [null, "x", true, -1.5, [{"a": [1, {"big": -18446744073709551615}]}]]}\r\n';
    expect(feed([Buffer.from(text)]).messages).toEqual([{ return: [null, 'x', true, -1.5, [{ a: [1, { big: -18446744073709551615n }] }]] }]);
  });

  it('refuses invalid UTF-8 inside a string', () => {
    expectProtocolError(Buffer.from([...Buffer.from('{"a":"'), 0xff, ...Buffer.from('"}')]), /not valid UTF-8/);
    expectProtocolError(Buffer.from([...Buffer.from('{"a":"'), 0xc0, 0xaf, ...Buffer.from('"}')]), /not valid UTF-8/);
    expectProtocolError(Buffer.from([...Buffer.from('{"a":"'), 0xe2, 0x9c, ...Buffer.from('"}')]), /not valid UTF-8/);
  });

  it('refuses invalid UTF-8 in a message spread over chunks', () => {
    const { error } = feed([Buffer.from('{"a":"ok'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(error).toBeInstanceOf(QmpProtocolError);
    expect((error as Error).message).toMatch(/not valid UTF-8/);
  });

  it('refuses top-level values that are not objects', () => {
    for (const value of ['[1]', '"x"', '42', '-1', 'null', 'true']) {
      expectProtocolError(`${value}\r\n`, /between messages.*must be a JSON object|unexpected 'n'|unexpected 't'/);
    }
  });

  it('refuses garbage between messages after delivering what came before', () => {
    expect(expectProtocolError('{"a":1}\r\nxyz{"b":2}', /unexpected 'x' between messages/)).toEqual([{ a: 1 }]);
    expect(expectProtocolError('{"a":1}\x00', /unexpected byte 0x00 between messages/)).toEqual([{ a: 1 }]);
  });

  it('refuses an unbalanced closing brace', () => {
    expect(expectProtocolError('{"a":1}}\r\n', /unexpected '}' between messages/)).toEqual([{ a: 1 }]);
  });

  it('refuses malformed JSON inside a balanced message', () => {
    expectProtocolError('{"a" 1}', /malformed JSON/);
    expectProtocolError('{"a":1]', /malformed JSON/);
    expectProtocolError('{"a":"line\nbreak"}', /malformed JSON/);
    expectProtocolError('{"a":12345678901234567890,}', /malformed JSON.*position/);
  });

  it('stays poisoned after an error, with the same error', () => {
    const framer = new QmpFramer();
    const { error } = feed([Buffer.from('xyz')], framer);
    expect(() => framer.push(Buffer.from('{"a":1}'), () => undefined)).toThrow(error);
  });

  it('delivers a whole message held behind an unfinished one when the peer closes (no newline between)', () => {
    const framer = new QmpFramer();
    const got: JsonObject[] = [];
    const unfinished = '{"return": "' + 'x'.repeat(4096);
    framer.push(Buffer.from('{"return": {"a": 18446744073709551615}}' + unfinished), (m) => got.push(m));
    const dropped = framer.end((m) => got.push(m));
    expect(got).toEqual([{ return: { a: 18446744073709551615n } }]);
    expect(dropped).toBe(Buffer.byteLength(unfinished));
  });

  it('frames an indented message without a newline exactly, wherever space runs are cut', () => {
    // Spaces inside strings hide brackets and quotes; the scanner's space-run skip must not
    // step over them, nor lose its place when a run of indentation ends a chunk.
    const text = '{\r\n    "a": "  }  ]  \\"  ",\r\n    "b": [\r\n        1234567890123456789,    {}\r\n    ]    \r\n    }';
    const expected = { a: '  }  ]  "  ', b: [1234567890123456789n, {}] };
    const bytes = Buffer.from(text, 'latin1');
    for (let cut = 1; cut < bytes.length; cut++) {
      const framer = new QmpFramer();
      const got: JsonObject[] = [];
      framer.push(bytes.subarray(0, cut), (m) => got.push(m));
      expect(got).toEqual([]);
      framer.push(bytes.subarray(cut), (m) => got.push(m));
      expect(got).toEqual([expected]);
    }
  });

  it('delivers the whole message before a malformed one that was held behind it, then fails', () => {
    const framer = new QmpFramer();
    const got: JsonObject[] = [];
    framer.push(Buffer.from('{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 2}}{"a": ' + ' '.repeat(2000)), (m) => got.push(m));
    expect(() => framer.push(Buffer.from('nope}'), (m) => got.push(m))).toThrow(QmpProtocolError);
    expect(got.map((m) => m['event'])).toEqual(['STOP']);
  });
});
