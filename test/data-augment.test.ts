// Batch augmentations (fastai's aug_transforms): the draws' ranges and frequencies, exact flips,
// validation left alone, and the whole affine + warp + lighting pipeline against the same maths
// written with PyTorch's affine_grid / grid_sample (fastai's code path) when Python is here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { manualSeed, rand, RandomState, tensor } from '../src/index.js';
import { augTransforms, AffineTransform, LightingTransform, findCoeffs, Normalize, drawPlan, runOps, lightingOps, type AffineStep, type LightingStep } from '../src/data/index.js';
import { pythonWithTorch } from './helpers.js';

const ctx = (train: boolean, seed = 0) => ({ train, rng: new RandomState(seed) });

test('augTransforms(): fastai\'s defaults, affine before lighting', () => {
  const tfms = augTransforms();
  assert.deepEqual(tfms.map((t) => t.name), ['AffineTransform', 'LightingTransform']);
  const a = tfms[0] as AffineTransform;
  assert.deepEqual(
    { ...a.options },
    { doFlip: true, flipVert: false, maxRotate: 10, minZoom: 1, maxZoom: 1.1, maxWarp: 0.2, pAffine: 0.75, mode: 'bilinear', padMode: 'reflection', alignCorners: true, batch: false },
  );
  const l = tfms[1] as LightingTransform;
  assert.equal(l.maxLighting, 0.2);
  assert.equal(l.pLighting, 0.75);
  assert.equal(augTransforms({ mult: 2 }).length, 2);
  assert.equal((augTransforms({ mult: 2 })[0] as AffineTransform).options.maxRotate, 20);
  assert.deepEqual(augTransforms({ doFlip: false, maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0 }), []);
});

test('validation batches pass through unchanged', () => {
  manualSeed(0);
  const x = rand([4, 3, 10, 12]);
  for (const t of augTransforms()) assert.equal(t.apply(x, ctx(false)), x);
});

test('flip alone: each image is either untouched or exactly mirrored, about half of them', () => {
  manualSeed(1);
  const x = rand([400, 3, 5, 7]);
  const [flip] = augTransforms({ maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0 });
  const y = flip!.apply(x, ctx(true, 3));
  let flipped = 0;
  for (let i = 0; i < 400; i++) {
    const xi = x.select(0, i), yi = y.select(0, i);
    if (yi.allclose(xi, 0, 1e-5)) continue;
    assert.ok(yi.allclose(xi.flip(2), 0, 1e-5), `image ${i} is neither itself nor its mirror`);
    flipped++;
  }
  assert.ok(flipped > 160 && flipped < 240, `${flipped} of 400 flipped (p = 0.5)`);
});

test('the draws: rotation within ±10°, zoom within 1–1.1, warp within ±0.2, each with probability 0.75', () => {
  const a = new AffineTransform({ doFlip: false });
  const d = a.draw(4000, new RandomState(7));
  let rotated = 0, zoomed = 0, warped = 0;
  for (const m of d.mats) {
    // m = rotate @ zoom: [[s cos, s sin, ·], [-s sin, s cos, ·]]
    const s = Math.hypot(m[0], m[1]);
    const deg = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
    assert.ok(Math.abs(deg) <= 10 + 1e-9, `rotation ${deg}`);
    assert.ok(s >= 1 / 1.1 - 1e-9 && s <= 1 + 1e-9, `scale ${s}`);
    if (Math.abs(deg) > 1e-12) rotated++;
    if (s < 1 - 1e-12) zoomed++;
    assert.ok(Math.hypot(m[2], m[5]) <= Math.SQRT2 * (1 - s) + 1e-9, 'the zoom centre keeps the window inside');
  }
  for (const w of d.warp!) {
    assert.ok(Math.abs(w.x) <= 0.2 && Math.abs(w.y) <= 0.2);
    if (w.x !== 0) warped++;
  }
  for (const [name, k] of [['rotated', rotated], ['zoomed', zoomed], ['warped', warped]] as const)
    assert.ok(Math.abs(k / 4000 - 0.75) < 0.03, `${name}: ${k / 4000}`);
});

test('lighting: brightness in 0.5·(1 ± 0.2), contrast in [0.8, 1.25], probability 0.75; a grey batch stays grey on average', () => {
  const l = new LightingTransform();
  const x = tensor(new Float32Array(2000 * 3 * 2 * 2).fill(0.5), { shape: [2000, 3, 2, 2] });
  const { brightness, contrast } = l.draw(2000, new RandomState(11));
  const y = lightingOps(x, { kind: 'lighting', brightness, contrast });
  // apply draws the same from the same generator
  assert.ok(l.apply(x, ctx(true, 11)).equal(y));
  assert.ok(brightness.every((b) => b >= 0.4 && b <= 0.6));
  assert.ok(contrast.every((c) => c >= 0.8 - 1e-12 && c <= 1.25 + 1e-12));
  const changed = brightness.filter((b) => b !== 0.5).length / 2000;
  assert.ok(Math.abs(changed - 0.75) < 0.04, `brightness changed on ${changed}`);
  // grey 0.5 has logit 0: the output is exactly sigmoid(logit(b) * c)
  const v = y.toFlatArray() as number[];
  for (let i = 0; i < 2000; i += 97) {
    const b = brightness[i]!, c = contrast[i]!;
    const e = 1 / (1 + Math.exp(-Math.log(b / (1 - b)) * c));
    assert.ok(Math.abs(v[i * 12]! - e) < 1e-5);
  }
  const mean = v.reduce((s, t) => s + t, 0) / v.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});

test('a full augmentation keeps images in range and their statistics close', () => {
  manualSeed(2);
  // smooth images: a horizontal ramp per channel
  const bs = 64, h = 24, w = 32;
  const data = new Float32Array(bs * 3 * h * w);
  for (let i = 0; i < data.length; i++) data[i] = 0.2 + 0.6 * ((i % w) / (w - 1));
  const x = tensor(data, { shape: [bs, 3, h, w] });
  const c = ctx(true, 5);
  let y = x;
  for (const t of augTransforms()) y = t.apply(y, c);
  assert.deepEqual(y.shape, [bs, 3, h, w]);
  assert.ok(y.min().item() >= 0 && y.max().item() <= 1);
  assert.ok(Math.abs(y.mean().item() - x.mean().item()) < 0.05, `${y.mean().item()} vs ${x.mean().item()}`);
  assert.ok(!y.equal(x));
});

test('the plan: drawn ahead from one generator, the transforms in order; validation draws nothing; apply draws the same', () => {
  manualSeed(9);
  const x = rand([8, 3, 20, 30]);
  const tfms = augTransforms({ size: [10, 12] });
  const plan = drawPlan(tfms, Normalize(), true, 8, new RandomState(13));
  assert.deepEqual(plan.steps.map((s) => s.kind), ['affine', 'lighting']);
  assert.deepEqual(plan.normalize, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  const aff = plan.steps[0] as AffineStep;
  assert.ok(aff.draw.warp!.some((w) => w.x !== 0));
  assert.deepEqual(aff.size, [10, 12]);
  // the transform's own draw from the same generator is the plan's
  assert.deepEqual((tfms[0] as AffineTransform).draw(8, new RandomState(13)), aff.draw);
  const y = runOps(x, plan, tfms, ctx(true, 0));
  assert.deepEqual(y.shape, [8, 3, 10, 12]);
  const rng = new RandomState(13);
  const z = Normalize().apply(tfms[1]!.apply(tfms[0]!.apply(x, { train: true, rng }), { train: true, rng }));
  assert.ok(y.equal(z), 'a plan carried out equals the transforms applied one after the other');
  const valid = drawPlan(tfms, null, false, 8, new RandomState(13));
  assert.deepEqual(valid.steps.map((s) => s.kind), ['affine']);
  assert.ok((valid.steps[0] as AffineStep).identity);
  assert.deepEqual(runOps(x, valid, tfms, ctx(false)).shape, [8, 3, 10, 12]);
  assert.deepEqual(drawPlan(augTransforms(), null, false, 8, new RandomState(1)).steps, [], 'no resize, no step');
});

test('each transform writes and reads its own description (the export file)', () => {
  const [a, l] = augTransforms({ size: 16, maxRotate: 5 }) as [AffineTransform, LightingTransform];
  const a2 = AffineTransform.fromDescription(JSON.parse(JSON.stringify(a.describe())) as Record<string, unknown>);
  assert.deepEqual(a2.options, a.options);
  assert.deepEqual(a.describeResize(), { size: [16, 16], mode: 'bilinear', padMode: 'reflection', alignCorners: true });
  assert.deepEqual(AffineTransform.resizeOnly(a.describeResize()!).describeResize(), a.describeResize());
  assert.deepEqual(LightingTransform.fromDescription(l.describe()).describe(), l.describe());
  assert.deepEqual(Normalize().describe(), { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
});

test('findCoeffs: the perspective maps the target corners back to the original ones (fastai\'s find_coeffs)', () => {
  const orig: [number, number][] = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
  const targ: [number, number][] = [[-1.1, -0.95], [-0.9, 1.05], [1.1, -1.05], [0.9, 0.95]];
  const c = findCoeffs(orig, targ);
  targ.forEach(([x2, y2], i) => {
    const d = c[6]! * x2 + c[7]! * y2 + 1;
    assert.ok(Math.abs((c[0]! * x2 + c[1]! * y2 + c[2]!) / d - orig[i]![0]) < 1e-9);
    assert.ok(Math.abs((c[3]! * x2 + c[4]! * y2 + c[5]!) / d - orig[i]![1]) < 1e-9);
  });
});

test('Normalize and its inverse', () => {
  const n = Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.5]);
  manualSeed(3);
  const x = rand([2, 3, 4, 4]);
  const y = n.apply(x);
  assert.ok(n.decode(y).allclose(x, 1e-5, 1e-6));
  assert.ok(Math.abs(y.select(1, 0).select(0, 0).select(0, 0).select(0, 0).item() - (x.select(1, 0).select(0, 0).select(0, 0).select(0, 0).item() - 0.5) / 0.2) < 1e-5);
  assert.throws(() => Normalize([0, 0, 0], [1, 0, 1]), /positive/);
});

test('affine + warp + lighting equal the same maths done with PyTorch (fastai\'s code path)', { skip: pythonWithTorch() === null ? 'no /usr/bin/python3 with torch' : false }, () => {
  manualSeed(4);
  const bs = 6, h = 12, w = 16;
  const x = rand([bs, 3, h, w]);
  const tfms = augTransforms();
  const plan = drawPlan(tfms, null, true, bs, new RandomState(21));
  const y = runOps(x, plan, tfms, ctx(true));
  const aff = plan.steps[0] as AffineStep, light = plan.steps[1] as LightingStep;
  const payload = JSON.stringify({
    x: x.toFlatArray(), shape: [bs, 3, h, w], mats: aff.draw.mats, warp: aff.draw.warp,
    brightness: light.brightness, contrast: light.contrast,
  });
  const script = String.raw`
import json, sys, math, torch, torch.nn.functional as F
d = json.load(sys.stdin)
bs, c, h, w = d["shape"]
x = torch.tensor(d["x"], dtype=torch.float32).view(bs, c, h, w)
mat = torch.tensor(d["mats"], dtype=torch.float32).view(bs, 3, 3)
mat[:, 0, 1] *= h / w   # fastai's _prepare_mat
mat[:, 1, 0] *= w / h
coords = F.affine_grid(mat[:, :2], (bs, c, h, w), align_corners=True)
# fastai's _WarpCoord: find_coeffs(orig_pts, targ_pts), apply_perspective
xt = torch.tensor([p["x"] for p in d["warp"]]); yt = torch.tensor([p["y"] for p in d["warp"]])
orig = torch.tensor([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=torch.float32).unsqueeze(0).expand(bs, 4, 2)
targ = torch.stack([torch.stack([-1-yt, -1-xt]), torch.stack([-1+yt, 1+xt]), torch.stack([1+yt, -1+xt]), torch.stack([1-yt, 1-xt])]).permute(2, 0, 1)
p1, p2 = orig, targ
m = []
p = p1[:, 0, 0]
t1 = lambda t: torch.ones_like(t); t0 = lambda t: torch.zeros_like(t)
for i in range(p1.shape[1]):
    m.append(torch.stack([p2[:, i, 0], p2[:, i, 1], t1(p), t0(p), t0(p), t0(p), -p1[:, i, 0]*p2[:, i, 0], -p1[:, i, 0]*p2[:, i, 1]]))
    m.append(torch.stack([t0(p), t0(p), t0(p), p2[:, i, 0], p2[:, i, 1], t1(p), -p1[:, i, 1]*p2[:, i, 0], -p1[:, i, 1]*p2[:, i, 1]]))
A = torch.stack(m).permute(2, 0, 1)
B = p1.reshape(p1.shape[0], 8, 1)
coeffs = torch.linalg.solve(A, B)
sz = coords.shape
cc = coords.view(sz[0], -1, 2)
M = torch.cat([coeffs, t1(coeffs[:, :1])], dim=1).view(coeffs.shape[0], 3, 3)
c1 = cc @ M[..., :2].transpose(1, 2) + M[..., 2].unsqueeze(1)
coords = (c1 / c1[..., 2].unsqueeze(-1))[..., :2].view(*sz)
y = F.grid_sample(x, coords, mode="bilinear", padding_mode="reflection", align_corners=True)
logit = lambda t: -(1 / t.clamp(1e-7, 1 - 1e-7) - 1).log()
b = torch.tensor(d["brightness"]).view(bs, 1, 1, 1); k = torch.tensor(d["contrast"]).view(bs, 1, 1, 1)
y = torch.sigmoid((logit(y) + logit(b)) * k)
print(json.dumps(y.flatten().tolist()))
`;
  const py = spawnSync(pythonWithTorch()!, ['-c', script], { input: payload, encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(py.status, 0, py.stderr);
  const theirs = JSON.parse(py.stdout) as number[];
  const ours = y.toFlatArray() as number[];
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
  assert.ok(maxDiff < 1e-4, `max difference ${maxDiff}`);
});
