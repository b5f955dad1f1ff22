import assert from 'node:assert/strict';
import { test } from 'node:test';
import { owletBin, runNode } from './helpers.js';

const owlet = (...args: string[]) => runNode([owletBin, ...args]);

test('owlet --version and --help', () => {
  const v = owlet('--version');
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
  const h = owlet('--help');
  assert.equal(h.status, 0);
  for (const cmd of ['models', 'inspect', 'example', 'explore', 'info']) assert.match(h.stdout, new RegExp(`\\b${cmd}\\b`));
});

test('owlet models lists names as timm does, with wildcards and tags', () => {
  const r = owlet('models', 'convnext*');
  assert.equal(r.status, 0);
  const names = r.stdout.trim().split('\n');
  assert.equal(names.length, 25);
  assert.equal(names[0], 'convnext_atto');
  assert.ok(names.includes('convnextv2_huge'));
  const tags = owlet('models', 'resnet34', '--pretrained').stdout.trim().split('\n');
  assert.ok(tags.includes('resnet34.tv_in1k') && tags.includes('resnet34.a1_in1k'));
  const none = owlet('models', 'nosuch*');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no model matches 'nosuch\*'/);
});

test('owlet inspect prints the tree, one submodule, a parameter, and the parameter list', () => {
  const tree = owlet('inspect', 'resnet18');
  assert.equal(tree.status, 0);
  assert.match(tree.stdout, /^ResNet\(\n  \(conv1\): Conv2d\(3, 64, kernel_size=\(7, 7\), stride=\(2, 2\), padding=\(3, 3\), bias=False\)/);
  const sub = owlet('inspect', 'convnext_tiny', '--submodule', 'stem.1');
  assert.equal(sub.stdout.trim(), 'LayerNorm2d((96,), eps=1e-06, elementwise_affine=True)');
  const param = owlet('inspect', 'convnext_tiny', '--submodule', 'stages.0.blocks.0.gamma');
  assert.match(param.stdout, /^Parameter containing:\ntensor\(\[1\.0000e-06, 1\.0000e-06,/);
  const params = owlet('inspect', 'resnet34', '--params');
  assert.match(params.stdout, /^conv1\.weight torch\.Size\(\[64, 3, 7, 7\]\)$/m);
  assert.match(params.stdout, /total: 21,797,672 parameters/);
});

test('owlet inspect explains a bad name or path', () => {
  const bad = owlet('inspect', 'resnet99');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /'resnet99' is neither a model name/);
  const path = owlet('inspect', 'resnet18', '--submodule', 'layer9.0');
  assert.equal(path.status, 1);
  assert.match(path.stderr, /layer9/);
});
