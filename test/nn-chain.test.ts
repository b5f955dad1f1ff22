// Sequential's inference path (nn.chain): in eval without grad it releases each intermediate at
// once; the result is the same, the input and anything a hook keeps stay usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualSeed, noGrad, randn, tidy, type Tensor } from '../src/index.js';
import * as nn from '../src/nn/index.js';

function net(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU({ inplace: true }), new nn.Identity(), new nn.Sequential(new nn.Linear(16, 4), new nn.GELU()));
}

test('eval without grad: same output as with grad, input kept', () => {
  const m = net().eval();
  const x = randn([3, 8]);
  const withGrad = m.call(x).detach();
  const y = noGrad(() => m.call(x));
  assert.deepEqual(y.toFlatArray(), withGrad.toFlatArray());
  assert.equal(x.shape[0], 3);
  assert.equal(x.sum().item(), x.sum().item()); // the input is not released
  const z = noGrad(() => tidy(() => m.call(x).add(1)));
  assert.deepEqual(z.toFlatArray(), withGrad.add(1).toFlatArray());
});

test('eval without grad: intermediates made inside are released', () => {
  const seen: Tensor[] = [];
  class Keep extends nn.Module {
    override forward(t: Tensor): Tensor {
      const r = t.mul(2);
      seen.push(r);
      return r;
    }
  }
  const m = new nn.Sequential(new Keep(), new nn.ReLU()).eval();
  noGrad(() => m.call(randn([2, 2])));
  assert.throws(() => seen[0]!.sum(), 'the first child\'s output is released once the next has run');
});

test('a forward hook keeps what it sees (no early release while hooks exist)', () => {
  const m = net().eval();
  const kept: Tensor[] = [];
  const h = m[0]!.registerForwardHook((_mod, _args, out) => void kept.push(out as Tensor));
  const y = noGrad(() => m.call(randn([3, 8])));
  assert.deepEqual(kept[0]!.shape, [3, 16]);
  assert.ok(Number.isFinite(kept[0]!.sum().item() as number));
  assert.deepEqual(y.shape, [3, 4]);
  h.remove();
});
