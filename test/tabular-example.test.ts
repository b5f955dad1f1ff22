import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataFrame } from '../src/tabular/index.js';
import { addFeatures, title } from '../examples/titanic/features.js';
import { owletBin, repoRoot, runNode } from './helpers.js';

test('notebook 06\'s features: Family, Alone, TicketFreq, Title', () => {
  const df = addFeatures(DataFrame.fromRows([
    { Name: 'Abbott, Mrs. Rhoda', SibSp: 1, Parch: 1, Ticket: 2673, Fare: 20.05 },
    { Name: 'Abbott, Master. Eugene', SibSp: 0, Parch: 0, Ticket: 2673, Fare: 20.05 },
    { Name: 'Astor, Col. John Jacob', SibSp: null, Parch: 0, Ticket: 17757, Fare: null },
  ]));
  assert.deepEqual(df.col('Family'), [2, 0, null]);
  assert.deepEqual(df.col('Alone'), [false, true, false]);
  assert.deepEqual(df.col('TicketFreq'), [2, 2, 1]);
  assert.deepEqual(df.col('Title'), ['Mrs', 'Master', null]);
  assert.equal(title('no comma here'), null);
});

test('the notebook 06 example: a learner and an ensemble of five above 0.75, and a submission', () => {
  const sub = join(mkdtempSync(join(tmpdir(), 'owlet-titanic-tab-')), 'submission.csv');
  const r = runNode([owletBin, 'example', 'titanic/tabular', join(repoRoot, 'examples', 'titanic', 'data'), sub]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /epoch\s+train_loss\s+valid_loss\s+accuracy\s+time/);
  const acc = (what: string) => Number(new RegExp(`accuracy ${what}[^:]*: (\\d\\.\\d+)`).exec(r.stdout)?.[1]);
  assert.ok(acc('single') > 0.75, r.stdout);
  assert.ok(acc('ensemble') > 0.75, r.stdout);
  const lines = readFileSync(sub, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'PassengerId,Survived');
  assert.equal(lines.length, 427);
  assert.ok(lines.slice(1).every((l) => /^\d+,[01]$/.test(l)));
});
