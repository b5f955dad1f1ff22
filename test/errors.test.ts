/** Bad input gives a clear error that says what was expected and what came; nothing crashes Node. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ops, randn, tensor, zeros } from '../src/index.js';
import { repoRoot, runNode } from './helpers.js';

test('a shape mismatch names the op, the shapes and the dtypes', () => {
  assert.throws(() => tensor([1, 2, 3]).add(tensor([1, 2])), /aten::add.*Tensor\[3\] int64.*Tensor\[2\] int64.*must match the size/);
  assert.throws(() => randn([2, 3]).matmul(randn([4, 5])), /aten::matmul.*Tensor\[2, 3\] float32.*Tensor\[4, 5\] float32.*cannot be multiplied/);
});

test('a wrong dtype says what was expected', () => {
  assert.throws(() => tensor([1, 2]).mean(), /aten::mean.*int64.*floating point/);
  assert.throws(() => tensor([1.5]).to('float33' as never), /unknown device|float33/);
  assert.throws(() => zeros([2], { dtype: 'complex' as never }), /unknown dtype 'complex'/);
});

test('an index out of range says the index, the dimension and its size', () => {
  assert.throws(() => tensor([1, 2, 3]).index(5), /index 5 is out of bounds for dimension 0 with size 3/);
  assert.throws(() => tensor([1, 2, 3]).index(0, 0), /too many indices for a tensor of dimension 1/);
  assert.throws(() => tensor([1, 2, 3]).gather(0, tensor([7])), /aten::gather.*index 7 is out of bounds/);
  assert.throws(() => tensor([1, 2, 3]).size(4), /size\(4\): dimension out of range/);
});

test('a tensor used after dispose() says so', () => {
  const t = tensor([1, 2]);
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.add(1), /tensor used after dispose\(\)/);
  assert.throws(() => t.shape, /tensor used after dispose\(\)/);
  assert.throws(() => tensor([3]).mul(t), /tensor used after dispose\(\)/);
  t.dispose(); // twice is harmless
});

test('wrong JavaScript values for an op say which argument and what it expected', () => {
  assert.throws(() => ops.add_Tensor(tensor([1]), 'x' as never), /argument 'other'.*expected a tensor/);
  assert.throws(() => ops.sum_dim_IntList(tensor([1.5]), ['a'] as never), /argument 'dim'.*list of integers/);
  assert.throws(() => ops.zeros([2.5]), /argument 'size'.*integers/);
});

test('item(), backward() and ragged data explain themselves', () => {
  assert.throws(() => tensor([1, 2]).item(), /2 elements cannot be converted to a number/);
  const x = randn([3]).requiresGrad_();
  assert.throws(() => x.mul(2).backward(), /grad can be implicitly created only for scalar outputs/);
  assert.throws(() => tensor([[1, 2], [3]]), /ragged nested array/);
  assert.throws(() => tensor(new Float32Array(6), { shape: [4, 2] }), /holds 24 bytes but a float32 tensor of that shape needs 32/);
});

test('a missing libtorch names the three ways to provide one', () => {
  // undefined removes a variable from the child's environment
  const env = { LIBTORCH: undefined, LIBTORCH_USE_PYTORCH: undefined, OWLET_SYSTEM_LIB_DIRS: '/nonexistent', OWLET_NO_APT: '1' };
  const r = runNode([join(repoRoot, 'scripts', 'setup.mjs'), '--quiet'], { env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /found none/);
  assert.match(r.stderr, /LIBTORCH=/);
  assert.match(r.stderr, /LIBTORCH_USE_PYTORCH=1/);
  assert.match(r.stderr, /apt-get install libtorch-dev/);
  const bad = runNode([join(repoRoot, 'scripts', 'setup.mjs'), '--quiet'], { env: { LIBTORCH: '/nonexistent/libtorch' } });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /LIBTORCH is set to \/nonexistent\/libtorch, but .* holds no libtorch.so/);
});
