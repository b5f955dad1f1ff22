/**
 * Reading safetensors: from a file straight into libtorch's memory (no copy in JavaScript), or from
 * a buffer, copying each tensor once into libtorch.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { empty } from '../engine/creation.js';
import { dtypeCode } from '../engine/dtype.js';
import { native } from '../engine/native.js';
import { Tensor } from '../engine/tensor.js';
import {
  checkEndianness, ITEM_SIZE, SafetensorsError,
  type ReadOptions, type SafetensorsContents, type SafetensorsEntry, type SafetensorsHeader,
} from './safetensors-format.js';
import { parseHeader } from './safetensors-header.js';

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
