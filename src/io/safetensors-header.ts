/**
 * Reading a safetensors header: everything in it is checked before a byte of data is trusted, and a
 * file that is something else (a torch.save zip, a pickle, an LFS pointer, an HTML page) is named.
 */
import {
  FOREIGN_ST, FROM_ST, ITEM_SIZE, MAX_HEADER_BYTES, SafetensorsError, type SafetensorsEntry, type SafetensorsHeader,
} from './safetensors-format.js';

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
export function parseHeader(source: string, total: number, read: (offset: number, length: number) => Uint8Array): SafetensorsHeader {
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
