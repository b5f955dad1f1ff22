// `owlet train` data-parallel from the command line, on 200 Fashion-MNIST images: started by owlet's
// own launcher (--nproc 2) and by PyTorch's torchrun; rank 0 alone prints the table and exports.
// ≈20-30 s each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFashionMnistFolder } from '../src/data/index.js';
import { isAvailable } from '../src/distributed/index.js';
import { rankArgs } from '../src/cli/distributed.js';
import { owletBin, pythonWithTorch, repoRoot } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-dist-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const haveFashion = existsSync('/usr/share/datasets/fashion-mnist') || process.env['OWLET_FASHION_MNIST'] !== undefined;
const skip = !isAvailable() ? 'this addon was built without Gloo' : haveFashion ? false : 'Fashion-MNIST is not installed';
const data = join(tmp, 'fashion');
const env = { ...process.env, OWLET_PROGRESS: 'none', HF_HUB_OFFLINE: '1', OWLET_CACHE: join(tmp, 'cache') };
const train = (exportFile: string) => ['train', '--data', data, '--arch', 'small_cnn', '--no-pretrained', '--size', '28', '--epochs', '1', '--bs', '32',
  '--lr', '3e-3', '--augment', 'none', '--threads', '1', '--export', exportFile];
const HEADER = /epoch {5}train_loss {2}valid_loss {2}error_rate {2}time/g;

test('rankArgs drops the launcher\'s flags', () => {
  assert.deepEqual(rankArgs(['train', '--nproc', '2', '--bs', '8', '--nnodes=1', '--master-port', '99', '--epochs', '1']), ['train', '--bs', '8', '--epochs', '1']);
});

test('set-up: 200 Fashion-MNIST PNGs', { skip }, async () => {
  assert.equal((await writeFashionMnistFolder(data, { limit: 200 })).files.length, 200);
});

test('owlet train --nproc 2: two ranks, one table, one export', { skip, timeout: 240_000 }, () => {
  const exportFile = join(tmp, 'nproc.safetensors');
  const r = spawnSync(process.execPath, [owletBin, ...train(exportFile), '--nproc', '2'], { encoding: 'utf8', env, cwd: repoRoot, timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.match(HEADER)?.length, 1, r.stdout);
  assert.match(r.stdout, /exported the model/);
  assert.ok(existsSync(exportFile));
});

test('torchrun --no_python --nproc_per_node=2 node bin/owlet.js train …: the same', { skip: skip || (pythonWithTorch() === null ? 'no /usr/bin/python3 with torch' : false), timeout: 240_000 }, () => {
  const exportFile = join(tmp, 'torchrun.safetensors');
  // Debian's torchrun 1.13 on Python 3.11 fails on its default --redirects/--tee ("0"): give them explicitly
  const r = spawnSync(pythonWithTorch()!, ['-m', 'torch.distributed.run', '--no_python', '--nproc_per_node=2', '--redirects', '2', '--tee', '1',
    '--log_dir', join(tmp, 'torchrun-logs'), process.execPath, owletBin, ...train(exportFile)], { encoding: 'utf8', env, cwd: repoRoot, timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.match(HEADER)?.length, 1, r.stdout);
  assert.ok(existsSync(exportFile));
});
