import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { owletBin, pythonWithTorch, repoRoot, runNode, sharedDir } from './helpers.js';

const golden = readFileSync(join(repoRoot, 'test', 'golden', 'quadratic.txt'), 'utf8');

function runExample(): string {
  const r = runNode([owletBin, 'example', 'how-nets-work/quadratic']);
  assert.equal(r.status, 0, `the example failed: ${r.stderr}`);
  return r.stdout;
}

test('the quadratic walk-through prints what the Python original prints (checked-in output)', () => {
  assert.equal(runExample(), golden);
});

test('the quadratic walk-through matches the Python original run now', (t) => {
  const py = pythonWithTorch();
  const reference = join(sharedDir, 'reference', 'quadratic.py');
  if (!py || !existsSync(reference)) {
    t.skip('no /usr/bin/python3 with torch and numpy, or no shared/reference here');
    return;
  }
  const r = spawnSync(py, [reference], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(runExample(), r.stdout);
});
