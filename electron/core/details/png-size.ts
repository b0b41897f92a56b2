/**
 * Width and height of a PNG from its IHDR chunk, without decoding it.
 *
 * The screen request reports the display's size beside the picture (the page names it in the
 * image's alt text), and a file that is not a PNG must become a note, not a broken image.
 */
import { PNG_SIGNATURE } from './ppm-to-png';

/** The size in the PNG header. @throws Error when `data` is not a PNG. */
export function pngSize(data: Buffer): { width: number; height: number } {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG image');
  }
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  if (width === 0 || height === 0) throw new Error('the PNG header has no size');
  return { width, height };
}
