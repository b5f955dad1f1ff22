/**
 * Text widths for Vega in Node. Without a canvas, Vega guesses 0.8 em a character, which leaves wide
 * empty margins beside legends and titles. This reads the advance widths of the font the PNG is
 * drawn with (DejaVu Sans, when the machine has it) from the TrueType file, and falls back to an
 * average of 0.6 em a character.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as vega from 'vega';

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/dejavu', '/usr/local/share/fonts'];

interface Metrics {
  unitsPerEm: number;
  advance(codePoint: number): number;
}

/** Advance widths from a TrueType file's cmap (format 4) and hmtx tables. */
export function parseTrueType(buf: Buffer): Metrics {
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const head = tables.get('head');
  const hhea = tables.get('hhea');
  const hmtx = tables.get('hmtx');
  const cmap = tables.get('cmap');
  if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) throw new Error('not a TrueType font with cmap and hmtx');
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const numHMetrics = buf.readUInt16BE(hhea + 34);
  let sub = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const off = cmap + buf.readUInt32BE(rec + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && buf.readUInt16BE(off) === 4) sub = off;
  }
  if (sub < 0) throw new Error('no format 4 cmap');
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  const glyph = (cp: number): number => {
    for (let s = 0; s < segX2; s += 2) {
      if (cp > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + s);
      const ro = buf.readUInt16BE(rangeOffsets + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeOffsets + s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(cp: number): number {
      let w = cache.get(cp);
      if (w === undefined) {
        const g = cp > 0xffff ? 0 : glyph(cp);
        w = buf.readUInt16BE(hmtx + 4 * Math.min(g, numHMetrics - 1));
        cache.set(cp, w);
      }
      return w;
    },
  };
}

function load(name: string): Metrics | null {
  for (const dir of FONT_DIRS) {
    const file = `${dir}/${name}`;
    if (!existsSync(file)) continue;
    try {
      return parseTrueType(readFileSync(file));
    } catch {
      return null;
    }
  }
  return null;
}

let fonts: { regular: Metrics | null; bold: Metrics | null } | undefined;

/** The width in pixels of `text` at `fontSize`, bold or not. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  fonts ??= { regular: load('DejaVuSans.ttf'), bold: load('DejaVuSans-Bold.ttf') };
  const m = (bold ? fonts.bold : null) ?? fonts.regular;
  if (!m) return 0.6 * [...text].length * fontSize * (bold ? 1.1 : 1);
  let units = 0;
  for (const ch of text) units += m.advance(ch.codePointAt(0)!);
  return (units / m.unitsPerEm) * fontSize * (bold && !fonts.bold ? 1.1 : 1);
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

let installed = false;

/** Makes Vega measure text with the font's real widths (once per process). */
export function installTextMetrics(): void {
  if (installed) return;
  installed = true;
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics;
  metrics.width = (item: TextItem, text?: unknown): number => {
    const t = String(text ?? item.text ?? '').trim();
    const size = item.fontSize ?? 11;
    if (size <= 0 || t === '') return 0;
    const w = item.fontWeight;
    return textWidth(t, size, w === 'bold' || (typeof w === 'number' && w >= 600) || w === '600' || w === '700');
  };
}
