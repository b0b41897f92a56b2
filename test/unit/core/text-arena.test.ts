/** The text arena: texts come back exactly, and buffers are given back once their texts are freed. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextArena } from '../../../electron/core/text-arena';

describe('TextArena', () => {
  it('gives back every text exactly, ASCII or not, across buffers, while the oldest are freed', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 399 }), (texts, keep) => {
        const arena = new TextArena(1024);
        const places = texts.map((text) => arena.write(text));
        const freed = Math.max(0, texts.length - 1 - keep);
        for (let i = 0; i < freed; i++) arena.free(places[i]!.chunk);
        for (let i = freed; i < texts.length; i++) {
          const { chunk, offset, bytes } = places[i]!;
          expect(arena.read(chunk, offset, bytes, bytes === texts[i]!.length)).toBe(texts[i]);
        }
      }),
    );
  });

  it('holds only the buffers of texts not yet freed, and gives a text longer than a buffer one of its own', () => {
    const arena = new TextArena(1000);
    const places = Array.from({ length: 100 }, (_, i) => arena.write(String(i % 10).repeat(100)));
    expect(new Set(places.map((place) => place.chunk)).size).toBe(10);
    expect(arena.heldBytes).toBe(10_000);
    for (const place of places.slice(0, 95)) arena.free(place.chunk);
    expect(arena.heldBytes).toBe(1000);
    const big = arena.write('é'.repeat(2000));
    expect(big.bytes).toBe(4000);
    expect(arena.read(big.chunk, big.offset, big.bytes, false)).toBe('é'.repeat(2000));
    expect(arena.heldBytes).toBe(5000);
    for (const place of places.slice(95)) arena.free(place.chunk);
    expect(arena.heldBytes).toBe(4000);
    expect(() => arena.read(places[0]!.chunk, 0, 1, true)).toThrow(/not held/);
  });
});
