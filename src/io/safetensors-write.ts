/**
 * Writing safetensors, following the reference (Rust) implementation byte for byte: tensors ordered
 * by dtype alignment, largest first, then by name; the header padded with spaces to a multiple of 8
 * bytes, so every tensor's data is aligned.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Tensor } from '../engine/tensor.js';
import { checkEndianness, ITEM_SIZE, RUST_RANK, TO_ST, type TensorDict } from './safetensors-format.js';

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
