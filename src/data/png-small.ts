/**
 * Small PNGs (Fashion-MNIST's 28×28, icons, thumbnails) decoded with fast-png instead of sharp:
 * each sharp pipeline has a fixed cost of about half a millisecond, twenty times the decode of a
 * 28×28 image. Only plain files take this path: not interlaced, no ICC profile or EXIF chunk, 8- or
 * 16-bit channels or an 8-bit palette, at most MAX_PIXELS pixels. Everything else, and any file
 * fast-png refuses, returns null and goes to sharp, which also gives the error message.
 * The result is what sharp gives: 8-bit RGB, grey repeated into three channels, alpha dropped
 * (as PIL's `convert('RGB')`), 16-bit samples shifted to their high byte.
 */
import { decode } from 'fast-png';
import type { RawRgb } from './bmp.js';
import { PNG_CHUNK, readPngHeader } from './header.js';

/** Larger PNGs go to sharp, whose zlib and threads win there. */
export const MAX_PIXELS = 256 * 256;

/** True when the file is one the fast path takes (from its header chunks alone). */
function plain(b: Uint8Array): boolean {
  const h = readPngHeader(b);
  if (h === null || !h.hasData || h.chunks.includes(PNG_CHUNK.iCCP) || h.chunks.includes(PNG_CHUNK.eXIf)) return false;
  const { width, height, depth, colorType, interlace } = h;
  if (width === 0 || height === 0 || width * height > MAX_PIXELS || interlace !== 0) return false;
  return colorType === 3 ? depth === 8 : depth === 8 || depth === 16;
}

/** The image as 8-bit RGB, or null when sharp should decode it. */
export function decodeSmallPng(b: Uint8Array): RawRgb | null {
  if (!plain(b)) return null;
  let png: ReturnType<typeof decode>;
  try {
    png = decode(b, { checkCrc: true });
  } catch {
    return null;
  }
  const { width, height, channels, depth, palette } = png;
  const n = width * height;
  const out = new Uint8Array(n * 3);
  const src = png.data;
  if (palette !== undefined) {
    if (channels !== 1 || src.length < n) return null;
    for (let i = 0; i < n; i++) {
      const c = palette[src[i]!];
      if (c === undefined) return null;
      out[3 * i] = c[0]!;
      out[3 * i + 1] = c[1]!;
      out[3 * i + 2] = c[2]!;
    }
    return { data: out, width, height };
  }
  if (src.length < n * channels) return null;
  const shift = depth === 16 ? 8 : 0;
  const grey = channels <= 2;
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    if (grey) {
      const v = src[s]! >> shift;
      out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = v;
    } else {
      out[3 * i] = src[s]! >> shift;
      out[3 * i + 1] = src[s + 1]! >> shift;
      out[3 * i + 2] = src[s + 2]! >> shift;
    }
  }
  return { data: out, width, height };
}
