import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runNode } from './helpers.js';

const loop = join(repoRoot, 'dist', 'test', 'fixtures', 'memory-loop.js');

function measure(mode: string, iterations = 10_000): { growthMB: number; checksum: number } {
  const r = runNode([loop, mode, String(iterations)], { timeoutMs: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { growthMB: number; checksum: number };
  console.log(`# memory (${mode}): ${JSON.stringify(out)}`);
  assert.equal(out.checksum, iterations * 262_144);
  return out;
}

// 10,000 iterations each make 2 MiB (20 GiB in all). Without explicit release the garbage collector,
// told of libtorch's memory, must keep the process under 512 MiB above its start.
test('10,000 iterations of 1 MB tensors, dropped without release, stay under 512 MiB of growth', () => {
  assert.ok(measure('gc').growthMB < 512);
});

test('the same loop with `using` (explicit release) stays flat: under 32 MiB of growth', () => {
  assert.ok(measure('dispose').growthMB < 32);
});

test('the same loop inside tidy() stays flat: under 32 MiB of growth', () => {
  assert.ok(measure('tidy').growthMB < 32);
});
