/**
 * Reading an image's size (and a JPEG's EXIF orientation) straight from its header bytes, so that
 * the common files (JPEG, PNG) need one sharp pipeline instead of two: sharp's `metadata()` costs
 * about as much as a small decode. Anything else (or anything odd) returns null, and sharp's
 * metadata is used instead.
 */

export interface HeaderInfo {
  width: number;
  height: number;
  /** The EXIF orientation (1–8), 1 when absent. */
  orientation: number;
  hasAlpha: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG chunk types, as the 32-bit big-endian numbers of their four letters. */
export const PNG_CHUNK = { IHDR: 0x49484452, IDAT: 0x49444154, IEND: 0x49454e44, tRNS: 0x74524e53, eXIf: 0x65584966, iCCP: 0x69434350 } as const;

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

/** Whether the bytes start as a JPEG does (SOI, then a marker). */
export function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** A PNG's IHDR fields, and the types of the chunks before its image data. */
export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
  /** The chunk types from IHDR up to the first IDAT (or IEND, or the end of the bytes), IDAT excluded. */
  chunks: number[];
  /** Whether an IDAT chunk was reached. */
  hasData: boolean;
}

/** The IHDR and the chunks before the image data; null when the bytes are not a PNG that starts with an IHDR. */
export function readPngHeader(b: Uint8Array): PngHeader | null {
  if (b.length < 33 || !isPng(b)) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(12) !== PNG_CHUNK.IHDR) return null;
  const chunks: number[] = [];
  let hasData = false;
  for (let at = 8; at + 8 <= b.length; at += 12 + dv.getUint32(at)) {
    const type = dv.getUint32(at + 4);
    if (type === PNG_CHUNK.IDAT) hasData = true;
    if (type === PNG_CHUNK.IDAT || type === PNG_CHUNK.IEND) break;
    chunks.push(type);
  }
  return { width: dv.getUint32(16), height: dv.getUint32(20), depth: b[24]!, colorType: b[25]!, interlace: b[28]!, chunks, hasData };
}

function pngInfo(b: Uint8Array): HeaderInfo | null {
  const h = readPngHeader(b);
  // eXIf: an orientation may be there, leave it to sharp
  if (h === null || h.chunks.includes(PNG_CHUNK.eXIf)) return null;
  // alpha: gray+alpha (4), RGBA (6), or a tRNS chunk (palette / key colour transparency)
  const hasAlpha = h.colorType === 4 || h.colorType === 6 || h.chunks.includes(PNG_CHUNK.tRNS);
  return { width: h.width, height: h.height, orientation: 1, hasAlpha };
}

function exifOrientation(b: Uint8Array, start: number, end: number): number {
  // "Exif\0\0" then a TIFF header
  if (end - start < 14 || b[start] !== 0x45 || b[start + 1] !== 0x78 || b[start + 2] !== 0x69 || b[start + 3] !== 0x66) return 1;
  const t = start + 6;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = b[t] === 0x49;
  if (!le && b[t] !== 0x4d) return 1;
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);
  if (t + 8 > end) return 1;
  const ifd = t + u32(t + 4);
  if (ifd + 2 > end) return 1;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > end) return 1;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

function jpegInfo(b: Uint8Array): HeaderInfo | null {
  let at = 2;
  let orientation = 1;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) { at++; continue; }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { at += 2; continue; }
    const len = dv.getUint16(at + 2);
    if (len < 2 || at + 2 + len > b.length) return null;
    if (marker === 0xe1) orientation = Math.max(orientation, exifOrientation(b, at + 4, at + 2 + len));
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (len < 8) return null;
      const height = dv.getUint16(at + 5);
      const width = dv.getUint16(at + 7);
      if (!width || !height) return null; // DNL-defined height: leave to sharp
      return { width, height, orientation, hasAlpha: false };
    }
    if (marker === 0xda) return null; // scan before a frame header: odd
    at += 2 + len;
  }
  return null;
}

/** Size, orientation and alpha of a JPEG or PNG from its bytes; null for other formats or odd files. */
export function readHeader(b: Uint8Array): HeaderInfo | null {
  try {
    if (isJpeg(b)) return jpegInfo(b);
    if (isPng(b)) return pngInfo(b);
  } catch {
    return null;
  }
  return null;
}
