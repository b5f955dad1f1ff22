/**
 * safetensors: Hugging Face's format for tensors (https://github.com/huggingface/safetensors).
 *
 * A file is an 8-byte little-endian header length N, N bytes of JSON (an object naming each tensor's
 * `dtype`, `shape` and `data_offsets`, with an optional `__metadata__` of string -> string), then the
 * data section, which the tensors tile exactly. Everything in the header is checked before a byte of
 * data is trusted: a truncated, altered or foreign file gives a `SafetensorsError` naming the file and
 * what is wrong, never a crash or a silently wrong tensor.
 *
 * Reading from a file goes straight from disk into libtorch's memory (no copy in JavaScript);
 * reading from a buffer copies each tensor once into libtorch. Writing follows the reference (Rust)
 * implementation byte for byte: tensors ordered by dtype alignment, largest first, then by name;
 * the header padded with spaces to a multiple of 8 bytes, so every tensor's data is aligned.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { empty } from '../engine/creation.js';
import type { DType } from '../engine/dtype.js';
import { dtypeCode } from '../engine/dtype.js';
import { native } from '../engine/native.js';
import { Tensor } from '../engine/tensor.js';

/** The reference implementation's limit on the header's size. */
export const MAX_HEADER_BYTES = 100_000_000;

/** safetensors dtype names owlet can hold, with their element size. */
const FROM_ST: Record<string, DType> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};
const TO_ST: Record<DType, string> = Object.fromEntries(Object.entries(FROM_ST).map(([k, v]) => [v, k])) as Record<DType, string>;
const ITEM_SIZE: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** Valid in safetensors, but libtorch 2.x (and so owlet) has no tensor type for them. */
const FOREIGN_ST = ['U16', 'U32', 'U64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];
/** The Rust crate's `Dtype` enum order (increasing alignment); writing sorts by it, descending. */
const RUST_RANK: Record<string, number> = { BOOL: 0, U8: 1, I8: 2, I16: 5, F16: 7, BF16: 8, I32: 9, F32: 11, F64: 12, I64: 13 };

/** A bad safetensors file (or buffer): `source` names it, `problem` says what is wrong. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(readonly source: string, readonly problem: string) {
    super(`${source}: not a readable safetensors file: ${problem}`);
  }
}

/** One tensor as the header describes it. `begin`/`end` are offsets into the data section. */
export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  /** The dtype as the file names it (`F32`, `BF16`, ...). */
  fileDtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Bytes of JSON after the 8-byte length. */
  headerBytes: number;
  /** Where the data section starts in the file (8 + headerBytes). */
  dataStart: number;
  /** The tensors, in the order of their data in the file. */
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

export interface SafetensorsContents {
  /** The tensors, by name, in name order (as `safetensors.torch.load_file` gives them). */
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

export interface ReadOptions {
  /** Move the tensors there after reading (`'cuda'`, `'cuda:1'`); default the CPU. */
  device?: string;
  /** The name used in errors when reading a buffer (default `<buffer>`). */
  name?: string;
}

/** Tensors to write: a Map or a plain object from names to tensors. */
export type TensorDict = Map<string, Tensor> | Record<string, Tensor>;

function checkEndianness(): void {
  if (endianness() !== 'LE') throw new Error('safetensors: owlet reads and writes safetensors only on little-endian machines');
}

// ---------------------------------------------------------------------------------------------
// Reading the header

/** Recognizes files that are something else, to say what they are. */
function sniffForeign(head: Uint8Array): string | null {
  const ascii = Buffer.from(head.subarray(0, 64)).toString('latin1');
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6))
    return 'it is a zip archive, most likely a PyTorch checkpoint written by torch.save (.pt, .pth, .bin); ' +
      'convert it in Python with safetensors.torch.save_file(torch.load(path), "model.safetensors")';
  if (head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5)
    return 'it is a Python pickle, most likely a legacy PyTorch checkpoint; convert it in Python with ' +
      'safetensors.torch.save_file(torch.load(path), "model.safetensors")';
  if (ascii.startsWith('version https://git-lfs'))
    return 'it is a Git LFS pointer, not the weights themselves: fetch the real file (`git lfs pull`, or download it from the hub)';
  if (/^\s*</.test(ascii))
    return 'it looks like an HTML or XML page (an error or login page saved in place of the file?)';
  if (ascii.startsWith('\x89HDF')) return 'it is an HDF5 file (Keras .h5 weights?)';
  if (ascii.startsWith('GGUF')) return 'it is a GGUF file (llama.cpp), not safetensors';
  if (ascii.startsWith('\x93NUMPY')) return 'it is a NumPy .npy file';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'it is gzip-compressed: decompress it first';
  if (/^\s*[{[]/.test(ascii)) return 'it is a JSON file, not safetensors (the 8-byte header length is missing)';
  return null;
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function describe(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Checks the header of a safetensors file of `total` bytes whose first bytes are `read(0, n)`.
 * Throws `SafetensorsError` on anything the spec or the reference reader would reject.
 */
function parseHeader(source: string, total: number, read: (offset: number, length: number) => Uint8Array): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new SafetensorsError(source, problem);
  };
  const foreign = (): string | null => sniffForeign(read(0, Math.min(total, 64)));
  if (total === 0) fail('the file is empty (0 bytes)');
  if (total < 8) {
    const what = foreign();
    fail(what ?? `the file holds only ${total} bytes; a safetensors file starts with an 8-byte header length (truncated?)`);
  }
  const lenBytes = read(0, 8);
  const n64 = Buffer.from(lenBytes.buffer, lenBytes.byteOffset, 8).readBigUInt64LE(0);
  if (n64 > BigInt(MAX_HEADER_BYTES)) {
    const what = foreign();
    fail(what ?? `the header length field says ${n64} bytes, over the ${MAX_HEADER_BYTES}-byte limit: this is not a safetensors file, or its start is corrupt`);
  }
  const n = Number(n64);
  if (n < 2) fail(foreign() ?? `the header length field says ${n} bytes; the smallest header, {}, needs 2`);
  if (8 + n > total) {
    const what = foreign();
    fail(what ?? `the header length field says ${n} bytes but only ${total - 8} follow it: the file is truncated (an interrupted download or copy?) or not safetensors`);
  }
  const raw = read(8, n);
  if (raw[0] !== 0x7b /* { */) fail(foreign() ?? `the header does not start with '{' (byte 8 is 0x${raw[0]!.toString(16).padStart(2, '0')}): not a safetensors file, or its start is corrupt`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return fail('the header is not valid UTF-8 (the file is corrupt)');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message}); the file is corrupt or altered`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('the header is JSON but not an object');

  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, info] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null) continue;
      if (typeof info !== 'object' || Array.isArray(info)) fail(`__metadata__ must be an object of strings, got ${describe(info)}`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>))
        if (typeof v !== 'string') fail(`__metadata__ values must be strings, but '${k}' is ${describe(v)}`);
      metadata = Object.fromEntries(Object.entries(info as Record<string, string>));
      continue;
    }
    const where = `tensor '${name}'`;
    if (info === null || typeof info !== 'object' || Array.isArray(info)) return fail(`${where}: expected {dtype, shape, data_offsets}, got ${describe(info)}`);
    const { dtype: fileDtype, shape, data_offsets: offsets } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof fileDtype !== 'string') return fail(`${where}: dtype is missing or not a string (${describe(fileDtype)})`);
    const dtype = FROM_ST[fileDtype];
    if (dtype === undefined) {
      if (FOREIGN_ST.includes(fileDtype)) fail(`${where} has dtype ${fileDtype}, which safetensors allows but libtorch (and so owlet) cannot hold; convert it in Python first`);
      fail(`${where} has unknown dtype ${describe(fileDtype)} (known: ${Object.keys(FROM_ST).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) return fail(`${where}: shape must be a list of non-negative integers, got ${describe(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
      return fail(`${where}: data_offsets must be two non-negative integers, got ${describe(offsets)}`);
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    let bytes = ITEM_SIZE[fileDtype]!;
    for (const d of shape) {
      bytes *= d;
      if (!Number.isSafeInteger(bytes)) fail(`${where}: shape [${shape.join(', ')}] is too large to be real`);
    }
    if (end - begin !== bytes)
      fail(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes but a ${fileDtype} tensor of shape [${shape.join(', ')}] needs ${bytes} (the file is altered or corrupt)`);
    entries.push({ name, dtype: dtype!, fileDtype, shape: [...shape] as number[], begin, end });
  }

  const dataBytes = total - 8 - n;
  const last = entries.reduce<SafetensorsEntry | null>((a, e) => (a === null || e.end > a.end ? e : a), null);
  if (last && last.end > dataBytes)
    fail(`the file is truncated: tensor '${last.name}' needs the data section to hold ${last.end} bytes, but the file ends after ${dataBytes} ` +
      `(${total} bytes in all, ${8 + n + last.end} expected); an interrupted download or copy?`);
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: SafetensorsEntry | null = null;
  for (const e of entries) {
    if (e.begin < at)
      fail(`tensors '${prev!.name}' [${prev!.begin}, ${prev!.end}] and '${e.name}' [${e.begin}, ${e.end}] overlap in the data section (the file is altered or corrupt)`);
    if (e.begin > at) fail(`bytes ${at} to ${e.begin} of the data section belong to no tensor (a gap before '${e.name}'): the file is altered or corrupt`);
    at = e.end;
    prev = e;
  }
  if (at !== dataBytes)
    fail(`${dataBytes - at} bytes after the last tensor's data belong to no tensor (the file is ${total} bytes, its tensors account for ${8 + n + at}): ` +
      'the file is altered, or something was appended to it');
  return { headerBytes: n, dataStart: 8 + n, entries, metadata };
}

function checkBools(source: string, e: SafetensorsEntry, bytes: Uint8Array, first = 0): void {
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i]! > 1) throw new SafetensorsError(source, `tensor '${e.name}' (BOOL) holds the byte ${bytes[i]} at element ${first + i}; booleans are 0 or 1 (the file is corrupt)`);
}

/** For owlet's tests: the largest piece read from a file into a tensor at once. */
export const internals = { chunkBytes: 1 << 30 };

function byName(a: SafetensorsEntry, b: SafetensorsEntry): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

function readFully(fd: number, into: Uint8Array, position: number, source: string): void {
  let done = 0;
  while (done < into.length) {
    const chunk = Math.min(into.length - done, 1 << 30);
    const got = readSync(fd, into, done, chunk, position + done);
    if (got === 0) throw new SafetensorsError(source, `the file ended early while reading it (it changed or was truncated during the read)`);
    done += got;
  }
}

/** Reads and checks only the header of a file (no tensor data is read). */
export function readSafetensorsHeader(path: string): SafetensorsHeader {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    return parseHeader(path, total, (offset, length) => {
      const b = Buffer.alloc(length);
      readFully(fd, b, offset, path);
      return b;
    });
  } finally {
    closeSync(fd);
  }
}

function readFile(path: string, options: ReadOptions): SafetensorsContents {
  const fd = openSync(path, 'r');
  try {
    const total = fstatSync(fd).size;
    const header = parseHeader(path, total, (offset, length) => {
      const b = Buffer.alloc(length);
      readFully(fd, b, offset, path);
      return b;
    });
    const loaded = new Map<string, Tensor>();
    // In file order, each tensor's bytes go from the file straight into libtorch's memory.
    for (const e of header.entries) {
      const t = empty(e.shape, { dtype: e.dtype });
      const numel = t.numel();
      const item = ITEM_SIZE[e.fileDtype]!;
      // Pieces of at most chunkBytes, so that no JavaScript view of the memory gets too large.
      const per = Math.max(1, Math.floor(internals.chunkBytes / item));
      const flat = numel > per ? t.view(-1) : t;
      for (let i = 0; i < numel; i += per) {
        const part = numel > per ? flat.narrow(0, i, Math.min(per, numel - i)) : t;
        const view = part.dataView();
        const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        readFully(fd, bytes, header.dataStart + e.begin + i * item, path);
        if (e.dtype === 'bool') checkBools(path, e, bytes, i);
      }
      loaded.set(e.name, t);
    }
    return finish(header, loaded, options);
  } finally {
    closeSync(fd);
  }
}

function readBuffer(buf: Uint8Array, options: ReadOptions): SafetensorsContents {
  const source = options.name ?? '<buffer>';
  const header = parseHeader(source, buf.length, (offset, length) => buf.subarray(offset, offset + length));
  const loaded = new Map<string, Tensor>();
  for (const e of header.entries) {
    const bytes = buf.subarray(header.dataStart + e.begin, header.dataStart + e.end);
    if (e.dtype === 'bool') checkBools(source, e, bytes);
    loaded.set(e.name, new Tensor(native.fromBuffer(bytes, dtypeCode(e.dtype), e.shape)));
  }
  return finish(header, loaded, options);
}

function finish(header: SafetensorsHeader, loaded: Map<string, Tensor>, options: ReadOptions): SafetensorsContents {
  const tensors = new Map<string, Tensor>();
  for (const e of [...header.entries].sort(byName)) {
    const t = loaded.get(e.name)!;
    tensors.set(e.name, options.device !== undefined && options.device !== 'cpu' ? t.to(options.device) : t);
  }
  return { tensors, metadata: header.metadata };
}

/**
 * Reads a safetensors file (a path) or its bytes (a Buffer / Uint8Array): the tensors, in name
 * order, and the `__metadata__` strings.
 */
export function readSafetensors(source: string | Uint8Array, options: ReadOptions = {}): SafetensorsContents {
  checkEndianness();
  return typeof source === 'string' ? readFile(source, options) : readBuffer(source, options);
}

/** The tensors of a safetensors file, as Python's `safetensors.torch.load_file(path)`. */
export function loadSafetensorsFile(path: string, options: Omit<ReadOptions, 'name'> = {}): Map<string, Tensor> {
  return readSafetensors(path, options).tensors;
}

// ---------------------------------------------------------------------------------------------
// Writing

interface Prepared {
  header: Buffer;
  parts: Uint8Array[];
  dataBytes: number;
}

function prepare(tensors: TensorDict, metadata: Record<string, string> | undefined): Prepared {
  checkEndianness();
  const items = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') throw new TypeError('safetensors metadata must be an object of strings');
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string') throw new TypeError(`safetensors metadata values must be strings, but '${k}' is ${typeof v}`);
  }
  const rows = items.map(([name, t]) => {
    if (typeof name !== 'string') throw new TypeError(`safetensors tensor names must be strings, got ${typeof name}`);
    if (name === '__metadata__') throw new TypeError("'__metadata__' is reserved in safetensors and cannot name a tensor");
    if (!(t instanceof Tensor)) throw new TypeError(`safetensors: '${name}' is not a Tensor`);
    if (t.isDisposed) throw new TypeError(`safetensors: tensor '${name}' has been disposed`);
    const st = TO_ST[t.dtype];
    if (st === undefined) throw new TypeError(`safetensors: tensor '${name}' has dtype ${t.dtype}, which safetensors cannot hold`);
    return { name, t, st, key: Buffer.from(name) };
  });
  // The reference implementation: by dtype alignment, largest first, then by name (byte order).
  rows.sort((a, b) => RUST_RANK[b.st]! - RUST_RANK[a.st]! || Buffer.compare(a.key, b.key));
  let offset = 0;
  const fields: string[] = [];
  const parts: Uint8Array[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    fields.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  for (const { name, t, st } of rows) {
    let c = t;
    if (c.device !== 'cpu') c = c.to('cpu');
    if (!c.isContiguous()) c = c.contiguous();
    const shape = c.shape;
    const n = c.numel() * ITEM_SIZE[st]!;
    if (n > 0) {
      const view = c.dataView();
      parts.push(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    }
    fields.push(`${JSON.stringify(name)}:{"dtype":"${st}","shape":[${shape.join(',')}],"data_offsets":[${offset},${offset + n}]}`);
    offset += n;
  }
  const json = Buffer.from(`{${fields.join(',')}}`, 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  const header = Buffer.alloc(8 + padded, 0x20);
  header.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(header, 8);
  return { header, parts, dataBytes: offset };
}

/** The bytes of a safetensors file holding `tensors` (and `metadata`, when given). */
export function serializeSafetensors(tensors: TensorDict, metadata?: Record<string, string>): Buffer {
  const { header, parts, dataBytes } = prepare(tensors, metadata);
  const out = Buffer.allocUnsafe(header.length + dataBytes);
  header.copy(out, 0);
  let at = header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Writes `tensors` (and `metadata`, when given) to a safetensors file, as Python's
 * `safetensors.torch.save_file`. The file appears whole or not at all: it is written beside its
 * final name and renamed into place.
 */
export function saveSafetensors(path: string, tensors: TensorDict, metadata?: Record<string, string>): void {
  const { header, parts } = prepare(tensors, metadata);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, 'w');
  let ok = false;
  try {
    const writeAll = (b: Uint8Array) => {
      let done = 0;
      while (done < b.length) done += writeSync(fd, b, done, Math.min(b.length - done, 1 << 30));
    };
    writeAll(header);
    for (const p of parts) writeAll(p);
    fsyncSync(fd);
    ok = true;
  } finally {
    closeSync(fd);
    if (!ok) rmSync(tmp, { force: true });
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
