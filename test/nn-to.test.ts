import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ops, randn, tensor } from '../src/index.js';

test('Module.to(dtype) keeps the same parameter objects, as PyTorch does', () => {
  const m = new nn.Linear(3, 2);
  const w = m.weight;
  m.to('float64');
  assert.equal(m.weight, w);
  assert.equal(w.dtype, 'float64');
  assert.equal(m.call(randn([4, 3], { dtype: 'float64' })).dtype, 'float64');
});

test('a single number for an int[2] argument means the pair, as in PyTorch', () => {
  const y = ops.adaptive_avg_pool2d(randn([1, 3, 8, 8]), 2);
  assert.deepEqual(y.shape, [1, 3, 2, 2]);
  assert.deepEqual(ops.max_pool2d(tensor([[[[1, 2], [3, 4]]]], { dtype: 'float32' }), 2).toArray(), [[[[4]]]]);
});
