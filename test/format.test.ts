// Golden tests: formatTensor against PyTorch 1.13's repr(tensor).
// The cases come from test/golden/make_format_golden.py (run with /usr/bin/python3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DType } from '../src/engine/dtype.js';
import { formatTensor, getPrintOptions, setPrintOptions, type PrintOptions, type TensorSnapshot } from '../src/engine/format.js';

interface GoldenCase {
  name: string;
  shape: number[];
  dtype: DType;
  values: (number | boolean | string)[];
  requiresGrad: boolean;
  gradFn: string | null;
  options: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' };
  repr: string;
}

/** The generator writes nan, ±inf and -0 as strings; everything else is a plain JSON number or boolean. */
function decode(v: number | boolean | string): number | boolean {
  if (typeof v !== 'string') return v;
  const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };
  const x = special[v];
  if (x === undefined) throw new Error(`bad encoded value '${v}'`);
  return x;
}

// Tests run from the repo root as compiled files in dist/test/.
const golden = JSON.parse(readFileSync(join(process.cwd(), 'test/golden/format.json'), 'utf8')) as { cases: GoldenCase[] };

test('golden file has enough cases', () => {
  assert.ok(golden.cases.length >= 40, `only ${golden.cases.length} cases`);
});

for (const c of golden.cases) {
  test(`repr: ${c.name}`, () => {
    const snap: TensorSnapshot = {
      shape: c.shape,
      dtype: c.dtype,
      values: c.values.map(decode),
      device: 'cpu',
      requiresGrad: c.requiresGrad,
      gradFn: c.gradFn,
    };
    setPrintOptions({ profile: 'default' });
    setPrintOptions(c.options);
    try {
      assert.equal(formatTensor(snap), c.repr);
    } finally {
      setPrintOptions({ profile: 'default' });
    }
  });
}

// No CUDA where the goldens are made, so the device suffix is checked by hand
// against what PyTorch prints: device comes first, before size/dtype/grad.
test('device suffix', () => {
  const snap = (over: Partial<TensorSnapshot>): TensorSnapshot => ({
    shape: [2],
    dtype: 'float32',
    values: [1, 2],
    device: 'cuda:0',
    requiresGrad: false,
    gradFn: null,
    ...over,
  });
  assert.equal(formatTensor(snap({})), "tensor([1., 2.], device='cuda:0')");
  assert.equal(formatTensor(snap({ dtype: 'int32' })), "tensor([1, 2], device='cuda:0', dtype=torch.int32)");
  assert.equal(
    formatTensor(snap({ shape: [], values: [0.5], gradFn: 'MeanBackward0' })),
    "tensor(0.5000, device='cuda:0', grad_fn=<MeanBackward0>)",
  );
  assert.equal(formatTensor(snap({ requiresGrad: true })), "tensor([1., 2.], device='cuda:0', requires_grad=True)");
  assert.equal(formatTensor(snap({ shape: [0, 3], values: [] })), "tensor([], device='cuda:0', size=(0, 3))");
  assert.equal(formatTensor(snap({ device: 'cpu' })), 'tensor([1., 2.])');
});

test('setPrintOptions: profiles, and sciMode resets to null like Python', () => {
  try {
    setPrintOptions({ profile: 'short', sciMode: true });
    assert.deepEqual(getPrintOptions(), { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80, sciMode: true });
    setPrintOptions({ precision: 3 });
    assert.deepEqual(getPrintOptions(), { precision: 3, threshold: 1000, edgeitems: 2, linewidth: 80, sciMode: null });
    setPrintOptions({ profile: 'full' });
    assert.equal(getPrintOptions().threshold, Infinity);
  } finally {
    setPrintOptions({ profile: 'default' });
  }
  assert.deepEqual(getPrintOptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
});
