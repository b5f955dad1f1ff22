import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadLearner } from '../src/index.js';
import '../src/tabular/index.js';
import { owletBin, repoRoot, runNode } from './helpers.js';

const data = join(repoRoot, 'examples', 'titanic', 'data');
const dir = mkdtempSync(join(tmpdir(), 'owlet-tabular-cli-'));
const owlet = (...args: string[]) => runNode([owletBin, 'tabular', ...args]);
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('owlet tabular: columns typed and printed, fastai\'s table, an export, a submission', async () => {
  const sub = join(dir, 'submission.csv');
  const exp = join(dir, 'titanic.safetensors');
  const r = owlet('--train', join(data, 'train.csv'), '--y', 'Survived', '--test', join(data, 'test.csv'), '--submission', sub, '--export', exp, '--epochs', '3');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}Survived +int +target: categories 0, 1$/m);
  assert.match(r.stdout, /^ {2}PassengerId +int +identifier \(every value distinct\): left out$/m);
  assert.match(r.stdout, /^ {2}Sex +string +categorical \(2 values\)$/m);
  assert.match(r.stdout, /^ {2}Age +float +continuous, 2 missing$/m);
  assert.match(r.stdout, /^epoch +train_loss +valid_loss +accuracy +time/m);
  assert.match(r.stdout, /^2 +\d\.\d{6} +\d\.\d{6} +0\.\d{6} +\d\d:\d\d/m);
  const acc = Number(/validation accuracy: (\d\.\d+)/.exec(r.stdout)![1]);
  assert.ok(acc > 0.7, `validation accuracy ${acc}`);
  const lines = readFileSync(sub, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'PassengerId,Survived');
  assert.equal(lines.length, 427);
  const learn = await loadLearner(exp);
  const p = await learn.predict({ Pclass: 1, Sex: 'female', Age: 30, SibSp: 0, Parch: 0, Ticket: 17757, Fare: 80, Embarked: 'C', Country: 'England' });
  assert.ok(['0', '1'].includes(p.label));
});

test('owlet tabular: bad input gets a clear message naming the row or the column, and no stack', () => {
  const train = join(data, 'train.csv');
  const cases: [string[], RegExp][] = [
    [['--train', train, '--y', 'Survivor'], /train\.csv: no target column 'Survivor' \(--y\): its columns are PassengerId, Survived/],
    [['--train', file('ragged.csv', 'a,b,y\n1,2,0\n3,1\n5,6,1\n'), '--y', 'y'], /ragged\.csv: row 2 \(line 3\) has 2 fields but the header has 3/],
    [['--train', file('empty.csv', ''), '--y', 'y'], /empty\.csv: the file is empty/],
    [['--train', file('text.csv', 'a,b,y\n1,x,0\n2,y,1\nn/x,z,0\n'), '--y', 'y', '--cont', 'a'], /text\.csv: column 'a' is continuous \(numbers\) but row 3 holds 'n\/x'/],
    [['--train', train, '--y', 'Survived', '--epochs', '1', '--no-export', '--test', file('bad-test.csv', 'PassengerId,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Embarked,Country\n1,3,"A, Mr. B",male,old,0,0,1,7.5,S,England\n')],
      /bad-test\.csv: column 'Age' is continuous \(numbers\) but row 1 holds 'old'/],
    [['--train', train, '--y', 'Survived', '--submission', 'x.csv'], /--submission needs --test/],
    [['--train', train, '--y', 'Age', '--no-export'], /train\.csv: the target 'Age' is missing in row 303 and 1 other row: fill them or drop those rows/],
  ];
  for (const [args, message] of cases) {
    const r = owlet(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /unexpected error|at .*\.js:\d+/, r.stderr);
  }
});
