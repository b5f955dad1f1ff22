import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { owletBin, pythonWithTorch, repoRoot, runNode } from './helpers.js';

const data = join(repoRoot, 'examples', 'titanic', 'data');
const reference = join(repoRoot, 'reference', 'titanic_from_scratch.py');
const TOLERANCE = 1e-4;

/**
 * Checks two printouts agree: the same lines and words, and each number within TOLERANCE (the
 * figures are printed with 4 decimals, so this is one unit in the last place).
 */
function assertSameNumbers(actual: string, expected: string): void {
  const a = actual.trimEnd().split('\n');
  const e = expected.trimEnd().split('\n');
  assert.equal(a.length, e.length, `${a.length} lines printed, the reference printed ${e.length}`);
  const num = /-?\d+\.\d+|-?\d+/g;
  a.forEach((line, i) => {
    assert.equal(line.replace(num, '#'), e[i]!.replace(num, '#'), `line ${i + 1} differs in its words`);
    const na = (line.match(num) ?? []).map(Number);
    const ne = (e[i]!.match(num) ?? []).map(Number);
    assert.equal(na.length, ne.length, `line ${i + 1}: ${na.length} numbers against ${ne.length}`);
    na.forEach((x, j) => assert.ok(Math.abs(x - ne[j]!) <= TOLERANCE + 1e-12, `line ${i + 1}, number ${j + 1}: ${x} against the reference's ${ne[j]} (tolerance ${TOLERANCE})\n${line}\n${e[i]}`));
  });
}

function runExample(sub: string): string {
  const r = runNode([owletBin, 'example', 'titanic/from-scratch', data, sub]);
  assert.equal(r.status, 0, `the example failed: ${r.stderr}`);
  return r.stdout;
}

const dir = mkdtempSync(join(tmpdir(), 'owlet-titanic-'));
let printed: string | null = null;
const printedOnce = () => (printed ??= runExample(join(dir, 'submission.csv')));

test('Titanic from scratch prints the numbers the Python original printed (checked-in output)', () => {
  assertSameNumbers(printedOnce(), readFileSync(join(repoRoot, 'test', 'golden', 'titanic_scratch.txt'), 'utf8'));
  const sub = readFileSync(join(dir, 'submission.csv'), 'utf8');
  assert.match(sub, /^PassengerId,Survived\n/);
  assert.equal(sub.trimEnd().split('\n').length, 427, 'one row a test passenger, after the header');
  assert.equal(sub, readFileSync(join(repoRoot, 'test', 'golden', 'titanic_submission.csv'), 'utf8'));
});

test('Titanic from scratch matches the Python original run now (torch and pandas)', (t) => {
  const py = pythonWithTorch();
  const pandas = py === null ? null : spawnSync(py, ['-c', 'import pandas'], { encoding: 'utf8' });
  if (py === null || pandas?.status !== 0) {
    t.skip('no /usr/bin/python3 with torch and pandas (python3-pandas)');
    return;
  }
  const pySub = join(dir, 'submission-py.csv');
  const r = spawnSync(py, [reference, data, pySub], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assertSameNumbers(printedOnce(), r.stdout);
  assert.equal(readFileSync(join(dir, 'submission.csv'), 'utf8'), readFileSync(pySub, 'utf8'));
});

test('the comparison fails on a number off by more than the tolerance', () => {
  assert.throws(() => assertSameNumbers('accuracy: 0.7921\n', 'accuracy: 0.7923\n'), /tolerance/);
  assert.throws(() => assertSameNumbers('accuracy: 0.7921\n', 'loss: 0.7921\n'), /words/);
});
