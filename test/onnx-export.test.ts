// `learn.exportOnnx` and `owlet export-onnx` on a trained export: the file is opset 17 and IR
// version 8 with the labels, mean/std, input size, arch and owlet's version in its metadata; on 20
// images (10 real Fashion-MNIST images, 10 generated pictures) through owlet's full preprocessing,
// onnxruntime-node's top-1 equals learn.predict's and the probabilities agree; and the errors a
// user can meet say what was wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cat, imageToTensor, Learner, loadLearner, nn, tensorDataLoaders, zeros, type Tensor } from '../src/index.js';
import { ortWebDist } from '../src/onnx/index.js';
import { onnxType } from '../src/onnx/onnx-proto.js';
import { owletBin, runNode } from './helpers.js';
import { onnxFixture } from './onnx-fixture.js';
import { maxAbsDiff, runOnnx } from './onnx-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-onnx-'));

interface Decoded {
  ir_version: number;
  opset_import: { domain?: string; version: number }[];
  producer_name: string;
  graph: { input: { name: string; type: { tensor_type: { shape: { dim: { dim_value?: number; dim_param?: string }[] } } } }[]; output: { name: string }[] };
  metadata_props: { key: string; value: string }[];
}

function decode(file: string): Decoded {
  const type = onnxType('ModelProto');
  return type.toObject(type.decode(readFileSync(file)), { longs: Number, defaults: false }) as Decoded;
}

test('owlet export-onnx writes opset 17 / IR 8 with a dynamic batch and the metadata a caller needs', async () => {
  const { model } = await onnxFixture();
  const out = join(tmp, 'model.onnx');
  const r = runNode([owletBin, 'export-onnx', model, out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote .*model\.onnx/);
  const m = decode(out);
  assert.equal(m.ir_version, 8);
  assert.deepEqual(m.opset_import.map((o) => o.version), [17]);
  assert.equal(m.producer_name, 'owlet');
  const dims = m.graph.input[0]!.type.tensor_type.shape.dim.map((d) => d.dim_param ?? d.dim_value);
  assert.deepEqual(dims, ['batch', 3, 32, 32]);
  assert.deepEqual(m.graph.output.map((o) => o.name), ['logits', 'probs']);
  const meta = Object.fromEntries(m.metadata_props.map((p) => [p.key, p.value]));
  assert.equal(meta['arch'], 'small_cnn');
  assert.equal(JSON.parse(meta['labels']!).length, 10);
  assert.deepEqual(JSON.parse(meta['mean']!), [0.29, 0.29, 0.29]);
  assert.deepEqual(JSON.parse(meta['std']!), [0.35, 0.35, 0.35]);
  assert.deepEqual(JSON.parse(meta['input_size']!), [3, 32, 32]);
  assert.match(meta['owlet_version']!, /^\d+\.\d+\.\d+/);
  assert.equal(JSON.parse(meta['pipeline']!).kind, 'image');
});

test('on 20 images through owlet\'s preprocessing, onnxruntime-node\'s top-1 equals learn.predict\'s', async () => {
  const { model, images } = await onnxFixture();
  const learn = await loadLearner(model);
  const file = learn.exportOnnx(join(tmp, 'learn.onnx'));
  const bytes = readFileSync(file);
  for (const img of images) {
    const x = await imageToTensor(img, learn.dls.pipeline);
    const expected = await learn.predict(img);
    const { probs } = await runOnnx(bytes, x);
    const top = probs!.indexOf(Math.max(...probs!));
    assert.equal(learn.dls.vocab[top], expected.label, img);
    assert.ok(maxAbsDiff(probs!, expected.probs) <= 1e-5, `${img}: probabilities differ by ${maxAbsDiff(probs!, expected.probs)}`);
  }
  // a batch of 16 through the dynamic batch dimension
  const batch = (await Promise.all(images.slice(0, 16).map((f) => imageToTensor(f, learn.dls.pipeline))));
  const { probs } = await runOnnx(bytes, cat(batch, 0));
  assert.equal(probs!.length, 16 * 10);
});

test('what a user can get wrong: no such model, a folder as output, a model the exporter cannot write, no input size', async () => {
  const bad = runNode([owletBin, 'export-onnx', join(tmp, 'missing.safetensors'), join(tmp, 'x.onnx')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /missing\.safetensors does not exist/);
  assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, 'no stack trace for a user error');
  const { model } = await onnxFixture();
  const folder = runNode([owletBin, 'export-onnx', model, tmp]);
  assert.match(folder.stderr, /is a folder: give the \.onnx file to write/);
  const notModel = join(tmp, 'not-a-model.safetensors');
  writeFileSync(notModel, 'hello');
  assert.match(runNode([owletBin, 'export-web', notModel, join(tmp, 'site')]).stderr, /cannot load this model/);
  // a custom module: the error names the module's path and class
  class Twice extends nn.Module {
    override forward(x: Tensor) {
      return x.mul(2);
    }
  }
  const xy: [Tensor, Tensor] = [zeros([4, 3, 8, 8]), zeros([4], { dtype: 'int64' })];
  const dls = tensorDataLoaders(xy, xy, { bs: 2, vocab: ['a', 'b'] });
  const learn = new Learner(dls, new nn.Sequential(new nn.Conv2d(3, 2, 3), new Twice(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten()));
  assert.throws(() => learn.exportOnnx(join(tmp, 'c.onnx'), { size: [8, 8] }), /cannot export '1' \(Twice\) to ONNX: owlet has no ONNX converter for Twice/);
  assert.throws(() => learn.exportOnnx(join(tmp, 'c.onnx')), /pass the input size/);
  // without onnxruntime-web (an optional peer dependency), export-web says how to install it
  assert.throws(() => ortWebDist('onnxruntime-web-not-installed'), /export-web needs onnxruntime-web .*npm install onnxruntime-web/);
});
