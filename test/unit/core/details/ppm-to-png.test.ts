/**
 * PPM (what QEMU's screendump writes without `format`) to PNG, checked by decoding the PNG
 * back by hand: signature, IHDR, CRCs, and every pixel after inflating IDAT.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, parsePpm, ppmToPng } from '../../../../electron/core/details/ppm-to-png';
import { pngSize } from '../../../../electron/core/details/png-size';

/** A P6 picture whose pixel (x, y) is (x, y, x ^ y), as QEMU's ppm_save lays it out. */
function ppm(width: number, height: number, header = `P6\n${width} ${height}\n255\n`): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) pixels.set([x & 0xff, y & 0xff, (x ^ y) & 0xff], (y * width + x) * 3);
  return Buffer.concat([Buffer.from(header, 'latin1'), pixels]);
}

/** Splits a PNG into its chunks, checking each CRC. */
function chunks(png: Buffer): Array<{ type: string; body: Buffer }> {
  const found: Array<{ type: string; body: Buffer }> = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    found.push({ type, body });
    at += 12 + length;
  }
  return found;
}

describe('ppmToPng', () => {
  it('keeps size and every pixel', () => {
    const png = ppmToPng(ppm(37, 11));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual({ width: 37, height: 11 });
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...parts[0]!.body.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    const raw = inflateSync(parts[1]!.body);
    expect(raw.length).toBe((37 * 3 + 1) * 11);
    for (let y = 0; y < 11; y += 1) {
      expect(raw[y * (37 * 3 + 1)]).toBe(0); // filter "none"
      for (let x = 0; x < 37; x += 1) {
        const at = y * (37 * 3 + 1) + 1 + x * 3;
        expect([raw[at], raw[at + 1], raw[at + 2]]).toEqual([x, y, x ^ y]);
      }
    }
  });

  it('reads headers with comments and any whitespace, as the format allows', () => {
    const image = parsePpm(ppm(3, 2, 'P6 # made by a test\n3\t2 # size\r\n255\n'));
    expect(image).toMatchObject({ width: 3, height: 2 });
    expect([...image.rgb.subarray(3, 6)]).toEqual([1, 0, 1]);
  });

  it('refuses what is not a 255-maxval P6 picture, naming why', () => {
    expect(() => parsePpm(Buffer.from('P3\n1 1\n255\n0 0 0\n'))).toThrow(/not a binary PPM/);
    expect(() => parsePpm(Buffer.from('P6\n0 1\n255\n'))).toThrow(/width and height/);
    expect(() => parsePpm(Buffer.from('P6\nx 1\n255\n'))).toThrow(/width and height/);
    expect(() => parsePpm(ppm(2, 2, 'P6\n2 2\n65535\n'))).toThrow(/maxval 65535/);
    expect(() => parsePpm(ppm(2, 2).subarray(0, 20))).toThrow(/short: 9 of 12 bytes/);
    expect(() => parsePpm(Buffer.alloc(0))).toThrow(/not a binary PPM/);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('encodes a 1x1 picture the size of the IHDR says', () => {
    expect(pngSize(encodePng({ width: 1, height: 1, rgb: Buffer.from([1, 2, 3]) }))).toEqual({ width: 1, height: 1 });
  });
});

describe('pngSize', () => {
  it('refuses what is not a PNG', () => {
    expect(() => pngSize(Buffer.from('P6\n1 1\n255\n\0\0\0'))).toThrow(/not a PNG/);
    expect(() => pngSize(Buffer.alloc(30))).toThrow(/not a PNG/);
  });
});
