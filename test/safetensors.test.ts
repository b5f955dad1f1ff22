// safetensors: the reference implementation's byte layout, goldens written by Python (PyTorch 1.13,
// test/golden/make_safetensors_golden.py), round trips of every dtype, and broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ops, tensor, type DType, type Tensor } from '../src/index.js';
import { pythonWithTorch } from './helpers.js';
import { internals } from '../src/io/safetensors.js';
import {
  loadSafetensorsFile, readSafetensors, readSafetensorsHeader, saveSafetensors, serializeSafetensors, SafetensorsError,
} from '../src/io/index.js';

const golden = (name: string) => join(process.cwd(), 'test/golden', name);
const tmp = mkdtempSync(join(tmpdir(), 'owlet-safetensors-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const ST_DTYPE: Record<string, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

const ITEM: Record<DType, number> = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

type Expected = Record<string, { dtype: string; shape: number[]; values: (number | string | boolean)[] }>;

/** Compares a tensor with the generator's description of it (values exact, -0 and NaN included). */
function checkTensor(name: string, t: Tensor, e: Expected[string]): void {
  assert.equal(t.dtype, ST_DTYPE[e.dtype], `${name}: dtype`);
  assert.deepEqual(t.shape, e.shape, `${name}: shape`);
  if (e.dtype === 'I64') {
    assert.deepEqual([...(t.toTypedArray() as BigInt64Array)], e.values.map((v) => BigInt(v as string)), `${name}: values`);
  } else if (e.dtype === 'BOOL') {
    assert.deepEqual([...(t.toTypedArray() as Uint8Array)].map((v) => v === 1), e.values, `${name}: values`);
  } else if (e.dtype.startsWith('F') || e.dtype === 'BF16') {
    const got = [...(t.to('float64').toTypedArray() as Float64Array)];
    const want = e.values.map((v) => (typeof v === 'string' ? ({ nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 } as Record<string, number>)[v]! : (v as number)));
    assert.equal(got.length, want.length, `${name}: length`);
    got.forEach((g, i) => assert.ok(Object.is(g, want[i]), `${name}[${i}]: got ${g}, expected ${want[i]}`));
  } else {
    assert.deepEqual([...(t.toTypedArray() as Int32Array)], e.values, `${name}: values`);
  }
}

/** The bytes of a tensor as it sits in memory (float16/bfloat16 as their bits). */
function bytesOf(t: Tensor): Buffer {
  const a = t.contiguous().toTypedArray();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A file from a header (object or raw text) and data bytes. */
function build(header: unknown, data: Uint8Array | number[] = [], headerLength?: bigint): Buffer {
  const text = Buffer.isBuffer(header) ? header : Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(headerLength ?? BigInt(text.length));
  return Buffer.concat([len, text, Buffer.from(data)]);
}

// ---------------------------------------------------------------------------------------------
// The reference implementation's own test vectors (safetensors/src/tensor.rs)

test('writes the bytes the reference implementation writes', () => {
  const data = new Float32Array([0, 1, 2, 3, 4, 5]);
  const one = serializeSafetensors({ 'attn.0': tensor(data, { shape: [1, 2, 3] }) });
  const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
  assert.equal(header.length, 64);
  assert.deepEqual(one, Buffer.concat([Buffer.from([64, 0, 0, 0, 0, 0, 0, 0]), Buffer.from(header), Buffer.from(data.buffer)]));

  // Header padded with spaces to a multiple of 8, so the data is aligned.
  const padded = serializeSafetensors({ attn0: tensor(data, { shape: [1, 1, 2, 3] }) });
  assert.equal(padded.readBigUInt64LE(0), 72n);
  assert.equal(padded.subarray(8, 80).toString(), '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');

  assert.deepEqual(serializeSafetensors({}), Buffer.from([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]));
  const meta = serializeSafetensors(new Map(), { framework: 'pt' });
  assert.equal(meta.readBigUInt64LE(0), 40n);
  assert.equal(meta.subarray(8).toString(), '{"__metadata__":{"framework":"pt"}}     ');
});

test('orders tensors by dtype alignment, then by name, as the reference implementation does', () => {
  const buf = serializeSafetensors({
    b: tensor(new Uint8Array([1])),
    a: tensor(new Uint8Array([2])),
    c: tensor(new Float64Array([3])),
    d: tensor(new Float32Array([4])),
    e: tensor(new BigInt64Array([5n])),
  });
  const header = readSafetensors(buf);
  assert.deepEqual([...header.tensors.keys()], ['a', 'b', 'c', 'd', 'e']);
  const json = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString()) as Record<string, { data_offsets: number[] }>;
  assert.deepEqual(Object.keys(json), ['e', 'c', 'd', 'a', 'b']);
  assert.deepEqual(json.e!.data_offsets, [0, 8]);
  assert.deepEqual(json.b!.data_offsets, [21, 22]);
});

// ---------------------------------------------------------------------------------------------
// Goldens written by Python

test('reads the Python-written golden of every dtype, values exact', () => {
  const { tensors, metadata } = readSafetensors(golden('dtypes.safetensors'));
  assert.equal(metadata.format, 'pt');
  assert.equal(metadata.note, 'quotes " and \\ and\nnewlines');
  const expected = JSON.parse(metadata.expected!) as Expected;
  assert.deepEqual([...tensors.keys()], Object.keys(expected).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  assert.ok(tensors.has('ünïcode.bias'));
  for (const [name, e] of Object.entries(expected)) checkTensor(name, tensors.get(name)!, e);
  // The set covers every dtype.
  assert.deepEqual(new Set([...tensors.values()].map((t) => t.dtype)), new Set(Object.values(ST_DTYPE)));
});

test('writes the golden back byte for byte (file and buffer)', () => {
  const bytes = readFileSync(golden('dtypes.safetensors'));
  const { tensors, metadata } = readSafetensors(bytes, { name: 'dtypes.safetensors' });
  assert.ok(serializeSafetensors(tensors, metadata).equals(bytes));
  const out = join(tmp, 'rewrite.safetensors');
  saveSafetensors(out, tensors, metadata);
  assert.ok(readFileSync(out).equals(bytes));
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

test("reads another writer's layout: unordered, unaligned, unpadded", () => {
  const expected = JSON.parse(readSafetensors(golden('misaligned.expected.safetensors')).metadata.expected!) as Expected;
  for (const source of [golden('misaligned.safetensors'), readFileSync(golden('misaligned.safetensors'))]) {
    const { tensors, metadata } = readSafetensors(source);
    assert.deepEqual(metadata, {});
    assert.deepEqual([...tensors.keys()], ['a.float', 'b.bf16', 'k.long', 'm.double', 'z.bytes']);
    for (const [name, e] of Object.entries(expected)) checkTensor(name, tensors.get(name)!, e);
  }
  const header = readSafetensorsHeader(golden('misaligned.safetensors'));
  assert.deepEqual(header.entries.map((e) => [e.name, e.begin, e.end]), [['z.bytes', 0, 3], ['a.float', 3, 11], ['m.double', 11, 19], ['b.bf16', 19, 25], ['k.long', 25, 57]]);
});

test('loadSafetensorsFile gives the tensors', () => {
  const tensors = loadSafetensorsFile(golden('misaligned.safetensors'));
  assert.deepEqual(tensors.get('k.long')!.toArray(), [[1, -2], [3, -4]]);
});

// ---------------------------------------------------------------------------------------------
// Round trips

function everyDtype(): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  m.set('f64', tensor(new Float64Array([1 / 3, -0, NaN, Infinity, -1e308, 5e-324]), { shape: [2, 3] }));
  m.set('f32', tensor(new Float32Array([1.5, -2.25, NaN, -Infinity, 1e-45, 0]), { shape: [3, 2] }));
  const bits = new Int16Array([0x3c00, -0x4000 /* 0xc000 = -2 */, 0x7c00, 0x0001, 0x7e00, -0x8000 /* -0 */]);
  m.set('f16', ops.view_dtype(tensor(bits, { shape: [2, 3] }), 'float16'));
  m.set('bf16', ops.view_dtype(tensor(bits, { shape: [6] }), 'bfloat16'));
  m.set('i64', tensor(new BigInt64Array([9223372036854775807n, -9223372036854775808n, 0n, 42n]), { shape: [2, 2] }));
  m.set('i32', tensor(new Int32Array([2147483647, -2147483648, 7]), { shape: [3] }));
  m.set('i16', tensor(new Int16Array([32767, -32768]), { shape: [2, 1] }));
  m.set('i8', tensor(new Int8Array([127, -128, -1]), { shape: [3] }));
  m.set('u8', tensor(new Uint8Array([0, 255, 128, 1]), { shape: [1, 4] }));
  m.set('bool', tensor([[true, false], [false, true]]));
  m.set('scalar', tensor(new Float32Array([3.5]), { shape: [] }));
  m.set('empty', tensor(new Float32Array(0), { shape: [0, 4] }));
  m.set('emptyBool', tensor(new Uint8Array(0), { shape: [2, 0] }).to('bool'));
  m.set('transposed', tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }).t());
  return m;
}

function assertSame(a: Map<string, Tensor>, b: Map<string, Tensor>): void {
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
  for (const [name, t] of a) {
    const u = b.get(name)!;
    assert.equal(u.dtype, t.dtype, `${name}: dtype`);
    assert.deepEqual(u.shape, t.shape, `${name}: shape`);
    assert.ok(bytesOf(u).equals(bytesOf(t)), `${name}: bytes`);
  }
}

test('round trip of every dtype through a file and through a buffer', () => {
  const tensors = everyDtype();
  assert.equal(new Set([...tensors.values()].map((t) => t.dtype)).size, 10);
  const file = join(tmp, 'all.safetensors');
  saveSafetensors(file, tensors, { owner: 'owlet', 'ключ': 'значение' });
  const fromFile = readSafetensors(file);
  assertSame(tensors, fromFile.tensors);
  assert.deepEqual(fromFile.metadata, { owner: 'owlet', 'ключ': 'значение' });
  const fromBuffer = readSafetensors(serializeSafetensors(tensors));
  assertSame(tensors, fromBuffer.tensors);
  assert.deepEqual(fromBuffer.metadata, {});
  assert.deepEqual(fromFile.tensors.get('transposed')!.toArray(), [[1, 4], [2, 5], [3, 6]]);
  // Every tensor's data is aligned to its element size in the file.
  const header = readSafetensorsHeader(file);
  assert.equal(header.dataStart % 8, 0);
  for (const e of header.entries) assert.equal((header.dataStart + e.begin) % ITEM[e.dtype], 0, `${e.name} is aligned`);
});

test('large tensors are read from a file in pieces', () => {
  const file = join(tmp, 'pieces.safetensors');
  const tensors = everyDtype();
  saveSafetensors(file, tensors);
  const saved = internals.chunkBytes;
  internals.chunkBytes = 5;
  try {
    assertSame(tensors, readSafetensors(file).tensors);
    writeFileSync(file, build({ m: { dtype: 'BOOL', shape: [2, 4], data_offsets: [0, 8] } }, [0, 1, 1, 0, 0, 1, 2, 1]));
    assert.throws(() => readSafetensors(file), /holds the byte 2 at element 6/);
  } finally {
    internals.chunkBytes = saved;
  }
});

test('loaded tensors own their memory (the file can go)', () => {
  const file = join(tmp, 'own.safetensors');
  saveSafetensors(file, { x: tensor(new Float32Array([1, 2, 3])) });
  const x = loadSafetensorsFile(file).get('x')!;
  rmSync(file);
  assert.deepEqual(x.toArray(), [1, 2, 3]);
  x.add_(1);
  assert.deepEqual(x.toArray(), [2, 3, 4]);
});

test('writing refuses what safetensors cannot hold', () => {
  const x = tensor(new Float32Array([1]));
  assert.throws(() => serializeSafetensors({ __metadata__: x }), /reserved/);
  assert.throws(() => serializeSafetensors({ x: 1 as unknown as Tensor }), /not a Tensor/);
  assert.throws(() => serializeSafetensors({ x }, { n: 1 as unknown as string }), /must be strings/);
  const gone = tensor(new Float32Array([1]));
  gone.dispose();
  assert.throws(() => serializeSafetensors({ gone }), /disposed/);
});

// ---------------------------------------------------------------------------------------------
// Broken files

const valid = serializeSafetensors({ w: tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }), b: tensor(new Float32Array([5, 6])) });
const f32 = (n: number) => new Uint8Array(4 * n);

const broken: [string, Buffer, RegExp][] = [
  ['an empty file', Buffer.alloc(0), /empty \(0 bytes\)/],
  ['a 5-byte file', Buffer.from([1, 2, 3, 4, 5]), /only 5 bytes/],
  ['a file cut in its data', valid.subarray(0, valid.length - 5), /truncated: tensor 'w'.*needs the data section to hold 24 bytes, but the file ends after 19/],
  ['a file cut in its header', valid.subarray(0, 30), /truncated/],
  ['a header length beyond the limit', build('{}', [], 1n << 40n), /over the 100000000-byte limit/],
  ['a header length beyond the file', build('{}', [], 1000n), /says 1000 bytes but only 2 follow it: the file is truncated/],
  ['a header length of 0', build('', [], 0n), /smallest header/],
  ['bad JSON', build('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]', f32(2)), /not valid JSON/],
  ['a header not starting with {', build(' {}'), /does not start with '\{'/],
  ['a header that is not UTF-8', build(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), /not valid UTF-8/],
  ['a header that is an unclosed brace', build('{}').fill(0x20, 9), /not valid JSON/],
  ['overlapping offsets', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), /'a' \[0, 8\] and 'b' \[4, 12\] overlap/],
  ['a gap between tensors', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(3)), /bytes 4 to 8 of the data section belong to no tensor/],
  ['bytes after the last tensor', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), /4 bytes after the last tensor's data belong to no tensor/],
  ['a wrong byte length', build({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), /hold 8 bytes but a F32 tensor of shape \[3\] needs 12/],
  ['an unknown dtype', build({ a: { dtype: 'F42', shape: [1], data_offsets: [0, 4] } }, f32(1)), /unknown dtype "F42"/],
  ['a dtype libtorch lacks', build({ a: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, f32(1)), /U32, which safetensors allows but libtorch/],
  ['a missing dtype', build({ a: { shape: [1], data_offsets: [0, 4] } }, f32(1)), /dtype is missing/],
  ['a negative dimension', build({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), /shape must be a list of non-negative integers, got \[-1\]/],
  ['a fractional dimension', build({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, f32(1)), /shape must be a list of non-negative integers/],
  ['offsets that are not integers', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, '4'] } }, f32(1)), /data_offsets must be two non-negative integers/],
  ['offsets that end before they begin', build({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32(1)), /end before they begin/],
  ['an absurd shape', build({ a: { dtype: 'F64', shape: [1e9, 1e9, 1e9], data_offsets: [0, 8] } }, f32(2)), /too large/],
  ['metadata that is not strings', build({ __metadata__: { epochs: 3 } }), /values must be strings, but 'epochs' is 3/],
  ['a tensor entry that is not an object', build({ a: [0, 4] }, f32(1)), /expected \{dtype, shape, data_offsets\}/],
  ['a bool that is not 0 or 1', build({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, [1, 7, 0]), /holds the byte 7 at element 1/],
  ['a PyTorch zip checkpoint', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)]), /zip archive, most likely a PyTorch checkpoint/],
  ['a pickle', Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(30)]), /Python pickle/],
  ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'), /HTML/],
  ['a Git LFS pointer', Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n'), /Git LFS pointer/],
];

for (const [what, bytes, message] of broken) {
  test(`a clear error for ${what}`, () => {
    assert.throws(() => readSafetensors(bytes, { name: 'bad.bin' }), (e: unknown) => {
      assert.ok(e instanceof SafetensorsError, `expected a SafetensorsError, got ${String(e)}`);
      assert.match(e.message, /^bad\.bin: not a readable safetensors file: /);
      assert.match(e.message, message);
      return true;
    });
    const file = join(tmp, 'broken.safetensors');
    writeFileSync(file, bytes);
    assert.throws(() => readSafetensors(file), (e: unknown) => e instanceof SafetensorsError && e.message.startsWith(`${file}: `) && message.test(e.message));
  });
}

test('random damage never gets past the checks unnoticed, nor crashes', () => {
  const good = readFileSync(golden('dtypes.safetensors'));
  const n = Number(good.readBigUInt64LE(0));
  let seed = 12345;
  const rand = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  let rejected = 0;
  for (let i = 0; i < 400; i++) {
    const bad = Buffer.from(good);
    if (i % 4 === 0) {
      // Truncation anywhere.
      const cut = bad.subarray(0, rand(bad.length));
      assert.throws(() => readSafetensors(cut), SafetensorsError);
      rejected++;
      continue;
    }
    // Change one byte of the length field or the header.
    const at = rand(8 + n);
    bad[at] = (bad[at]! + 1 + rand(255)) & 0xff;
    try {
      // A change the format cannot see (a letter of the metadata, say) may still read.
      const { tensors } = readSafetensors(bad);
      for (const t of tensors.values()) assert.equal(bytesOf(t).length, t.numel() * ITEM[t.dtype]);
    } catch (e) {
      assert.ok(e instanceof SafetensorsError, `byte ${at}: ${String(e)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 300, `only ${rejected} of 400 damaged files were rejected`);
});

test('a missing file names the file', () => {
  assert.throws(() => readSafetensors(join(tmp, 'nope.safetensors')), /ENOENT.*nope\.safetensors/);
});

test('PyTorch reads what owlet writes (when Debian Python with torch is here)', (t) => {
  const py = pythonWithTorch();
  if (py === null) {
    t.skip('no /usr/bin/python3 with torch');
    return;
  }
  const file = join(tmp, 'for-python.safetensors');
  saveSafetensors(file, everyDtype(), { from: 'owlet' });
  // Python decodes the file by hand with torch.frombuffer, and re-encodes it with the golden
  // generator's model of the reference writer: the bytes must be the same.
  const script = `
import importlib.util, json, struct, sys, torch
spec = importlib.util.spec_from_file_location('g', 'test/golden/make_safetensors_golden.py')
g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
h = json.loads(b[8:8 + n]); meta = h.pop('__metadata__', None)
dt = {v: k for k, v in g.ST.items()}
ts = {}
for name, e in h.items():
    s, t = e['data_offsets']
    raw = bytearray(b[8 + n + s:8 + n + t])
    ts[name] = torch.frombuffer(raw, dtype=dt[e['dtype']]).reshape(e['shape']) if raw else torch.zeros(e['shape'], dtype=dt[e['dtype']])
assert g.reference_bytes(ts, meta) == b, 'layout differs from the reference writer'
print(json.dumps({'meta': meta, 'transposed': ts['transposed'].tolist(), 'i64': [str(v) for v in ts['i64'].reshape(-1).tolist()],
                  'f16': [repr(v) for v in ts['f16'].double().reshape(-1).tolist()], 'bf16': [repr(v) for v in ts['bf16'].double().tolist()],
                  'bool': ts['bool'].tolist(), 'scalar': ts['scalar'].item(),
                  'empty': list(ts['empty'].shape)}))
`;
  const r = spawnSync(py, ['-c', script, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(out.meta, { from: 'owlet' });
  assert.deepEqual(out.transposed, [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(out.i64, ['9223372036854775807', '-9223372036854775808', '0', '42']);
  const num = (v: string) => ({ inf: Infinity, '-inf': -Infinity, nan: NaN } as Record<string, number>)[v] ?? Number(v);
  const tensors = everyDtype();
  for (const name of ['f16', 'bf16']) {
    const mine = [...(tensors.get(name)!.to('float64').toTypedArray() as Float64Array)];
    const theirs = (out[name] as string[]).map(num);
    assert.equal(theirs.length, 6);
    theirs.forEach((v, i) => assert.ok(Object.is(v, mine[i]), `${name}[${i}]: PyTorch ${v}, owlet ${mine[i]}`));
  }
  assert.deepEqual((out.f16 as string[]).map(num), [1, -2, Infinity, 5.960464477539063e-8, NaN, -0]);
  assert.deepEqual(out.bool, [[true, false], [false, true]]);
  assert.equal(out.scalar, 3.5);
  assert.deepEqual(out.empty, [0, 4]);
});
