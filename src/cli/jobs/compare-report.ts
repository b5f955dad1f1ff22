/**
 * What the comparisons print and write: a plain-text table (columns right-aligned but the first), a
 * CSV file of the same rows, and the chart's title line (what was measured, on which machine).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { machineProfile } from '../../engine/index.js';

export type Cell = string | number | null;

/** A number for a table: '—' for none, else `digits` decimals (thousands separated from 10,000). */
export function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 10_000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
}

/** The rows as an aligned text table under the header. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the rows as CSV (RFC 4180 quoting) under the header. */
export function writeCsv(file: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
}

/** The machine a chart was measured on, in a few words: `AMD EPYC 7B13, 2 threads`. */
export function machineLine(threads: number): string {
  const { cpu } = machineProfile();
  return `${cpu.model.replace(/\s+\d+-Core Processor$/, '').trim()}, ${threads} thread${threads > 1 ? 's' : ''}`;
}
