/**
 * An uploaded image checked before anything decodes it: it is an image (its first bytes say which
 * format) and its size, read from its header, is within the pixel limit — so a small file that
 * would decode to gigabytes (a decompression bomb: a 30000 × 30000 PNG of zeros is a few hundred
 * kilobytes) is refused without being decoded.
 */
import sharp from 'sharp';
import { isBmp } from '../data/bmp.js';
import { readHeader } from '../data/header.js';
import { HttpError } from './errors.js';

export interface ImageSize {
  width: number;
  height: number;
}

/** The BMP header's width and height (the height is negative for top-down rows). */
function bmpSize(b: Uint8Array): ImageSize | null {
  if (b.length < 26) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: Math.abs(dv.getInt32(18, true)), height: Math.abs(dv.getInt32(22, true)) };
}

async function headerSize(b: Uint8Array): Promise<ImageSize | null> {
  const head = readHeader(b);
  if (head !== null) return { width: head.width, height: head.height };
  if (isBmp(b)) return bmpSize(b);
  try {
    // libvips reads only the header here (no pixel is decoded), on its own threads
    const meta = await sharp(b, { limitInputPixels: false, pages: 1 }).metadata();
    return meta.width && meta.height ? { width: meta.width, height: meta.height } : null;
  } catch {
    return null;
  }
}

const megapixels = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} megapixels`;

/** Checks `bytes` as an image within `maxPixels`; throws an HttpError (400, or 413 for too many pixels) saying what is wrong. */
export async function checkImage(bytes: Uint8Array, maxPixels: number): Promise<ImageSize> {
  if (bytes.length === 0) throw new HttpError(400, 'the image is empty (0 bytes): send the bytes of a JPEG, PNG, WebP, GIF, TIFF or BMP file');
  const size = await headerSize(bytes);
  if (size === null) {
    const text = /^[\s\x20-\x7e]*$/.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
    throw new HttpError(400, `the body is not an image owlet reads (JPEG, PNG, WebP, GIF, TIFF, BMP)${text ? ': it starts as text' : ''}`);
  }
  if (size.width === 0 || size.height === 0) throw new HttpError(400, `the image's header gives a size of ${size.width} × ${size.height}: the file is damaged`);
  const pixels = size.width * size.height;
  if (pixels > maxPixels)
    throw new HttpError(413, `the image is ${size.width} × ${size.height} (${megapixels(pixels)}); this server decodes at most ${megapixels(maxPixels)} (--max-pixels): send a smaller image`);
  return size;
}
