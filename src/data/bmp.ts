/**
 * A small BMP decoder: sharp's libvips has no BMP loader, and fastai (PIL) reads BMP files. It reads
 * the uncompressed forms (1, 4 and 8 bits with a palette; 16, 24 and 32 bits, with or without
 * bit-field masks), bottom-up or top-down, into 8-bit RGB. RLE-compressed and embedded JPEG/PNG
 * BMPs are refused with a message saying so.
 */

export interface RawRgb {
  data: Uint8Array;
  width: number;
  height: number;
}

export function isBmp(buf: Uint8Array): boolean {
  return buf.length >= 26 && buf[0] === 0x42 && buf[1] === 0x4d;
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(buf: Uint8Array): RawRgb {
  if (!isBmp(buf)) throw new Error('not a BMP file (no "BM" signature)');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (n: number) => {
    if (n > buf.length) throw new Error(`truncated BMP file (${buf.length} bytes, needs at least ${n})`);
  };
  const pixelOffset = dv.getUint32(10, true);
  const dibSize = dv.getUint32(14, true);
  let width: number;
  let height: number;
  let bpp: number;
  let compression = 0;
  let clrUsed = 0;
  let paletteEntry = 4;
  if (dibSize === 12) {
    need(26);
    width = dv.getUint16(18, true);
    height = dv.getInt16(20, true);
    bpp = dv.getUint16(24, true);
    paletteEntry = 3;
  } else if (dibSize >= 40) {
    need(54);
    width = dv.getInt32(18, true);
    height = dv.getInt32(22, true);
    bpp = dv.getUint16(28, true);
    compression = dv.getUint32(30, true);
    clrUsed = dv.getUint32(46, true);
  } else {
    throw new Error(`unsupported BMP header of ${dibSize} bytes`);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0 || width > 1 << 15 || height > 1 << 15) throw new Error(`BMP file with an impossible size ${width}x${height}`);
  let masks: [number, number, number] | null = null;
  if (compression === 3 || compression === 6) {
    // BI_BITFIELDS: masks follow a 40-byte header, or sit inside a V4/V5 header.
    need(14 + 40 + 12);
    masks = [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true)];
  } else if (compression !== 0) {
    const what = compression === 1 || compression === 2 ? 'RLE-compressed' : compression === 4 ? 'JPEG-in-BMP' : compression === 5 ? 'PNG-in-BMP' : `compression ${compression}`;
    throw new Error(`unsupported BMP (${what})`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`unsupported BMP bit depth ${bpp}`);
  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const count = clrUsed || 1 << bpp;
    const start = 14 + dibSize;
    need(start + count * paletteEntry);
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < count && i < 256; i++) {
      palette[i * 3] = buf[start + i * paletteEntry + 2]!;
      palette[i * 3 + 1] = buf[start + i * paletteEntry + 1]!;
      palette[i * 3 + 2] = buf[start + i * paletteEntry]!;
    }
  }
  if (masks === null && bpp === 16) masks = [0x7c00, 0x03e0, 0x001f];
  const rowBytes = Math.floor((bpp * width + 31) / 32) * 4;
  need(pixelOffset + rowBytes * (height - 1) + Math.ceil((bpp * width) / 8));
  const out = new Uint8Array(width * height * 3);
  const ms = masks ? masks.map(maskShift) : null;
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * rowBytes;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (palette) {
        const bit = x * bpp;
        const byte = buf[row + (bit >> 3)]!;
        const idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        out[o] = palette[idx * 3]!;
        out[o + 1] = palette[idx * 3 + 1]!;
        out[o + 2] = palette[idx * 3 + 2]!;
      } else if (bpp === 24 || (bpp === 32 && ms === null)) {
        const p = row + x * (bpp >> 3);
        out[o] = buf[p + 2]!;
        out[o + 1] = buf[p + 1]!;
        out[o + 2] = buf[p]!;
      } else {
        const v = bpp === 16 ? dv.getUint16(row + x * 2, true) : dv.getUint32(row + x * 4, true);
        for (let c = 0; c < 3; c++) {
          const { shift, max } = ms![c]!;
          out[o + c] = max === 0 ? 0 : Math.round((((v >>> shift) & max) * 255) / max);
        }
      }
    }
  }
  return { data: out, width, height };
}
