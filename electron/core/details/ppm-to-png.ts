/**
 * Converts the PPM that QEMU's `screendump` writes (when it has no PNG `format`) into a PNG.
 *
 * The page can only show PNG through the CSP's `img-src data:`; QEMU before 7.1 (and builds
 * without libpng) only write binary PPM (`P6`, maxval 255). node:zlib does the deflate, so no
 * image package is needed; the CRC-32 PNG chunks need is the small table below (Node 20's zlib
 * has no crc32).
 */
import { deflateSync } from 'node:zlib';

/** A decoded PPM picture: RGB, 8 bits per channel, rows top to bottom. */
export interface PpmImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Buffer;
}

/** Largest picture converted (QEMU's consoles stop well below this). */
const MAX_PIXELS = 16384 * 16384;

/**
 * Reads a binary PPM (`P6`), comments included, as QEMU and other writers make it.
 *
 * @throws Error naming what is wrong (not P6, bad header, maxval other than 255, short data).
 */
export function parsePpm(data: Buffer): PpmImage {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < data.length && /\s/.test(String.fromCharCode(data[at]!))) at += 1;
      if (data[at] !== 0x23) break; // '#': a comment runs to the end of the line
      while (at < data.length && data[at] !== 0x0a) at += 1;
    }
    const start = at;
    while (at < data.length && !/\s/.test(String.fromCharCode(data[at]!))) at += 1;
    return data.subarray(start, at).toString('latin1');
  };
  if (token() !== 'P6') throw new Error('not a binary PPM (P6) image');
  const [width, height, maxval] = [token(), token(), token()].map((text) => (/^\d{1,9}$/.test(text) ? Number(text) : NaN));
  if (!width || !height || width * height > MAX_PIXELS) throw new Error('the PPM header has no usable width and height');
  if (maxval !== 255) throw new Error(`PPM with maxval ${String(maxval)} is not supported (QEMU writes 255)`);
  at += 1; // exactly one whitespace byte ends the header
  const size = width * height * 3;
  if (data.length - at < size) throw new Error(`the PPM data is short: ${data.length - at} of ${size} bytes`);
  return { width, height, rgb: data.subarray(at, at + size) };
}

/** Encodes an RGB picture as a PNG (colour type 2, 8 bits, filter 0 on every row). */
export function encodePng(image: PpmImage): Buffer {
  const { width, height, rgb } = image;
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row += 1) rgb.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** QEMU's PPM screendump as a PNG. @throws Error when the PPM cannot be read. */
export function ppmToPng(data: Buffer): Buffer {
  return encodePng(parsePpm(data));
}

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309), as PNG chunks carry it. */
export function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
