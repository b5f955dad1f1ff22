// Data: finding files, labelling them, splitting them (RandomSplitter against fastai's split on
// Debian's PyTorch: test/golden/make_split_golden.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  getFiles, getImageFiles, RegexLabeller, parentLabel, usingName, labelItems, LabelError, RandomSplitter,
  GrandparentSplitter, FolderSplitter, FuncSplitter, IndexSplitter, compareCodePoints, DataBlock, makeVocab,
} from '../src/data/index.js';
import { pythonWithTorch } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-data-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function touch(...parts: string[]): string {
  const f = join(tmp, ...parts);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, '');
  return f;
}

test('getImageFiles: recursive, image extensions only (any case), hidden names skipped, files before sub-folders, sorted', () => {
  const root = join(tmp, 'walk');
  for (const f of ['b.jpg', 'a.PNG', 'c.txt', '.hidden.jpg', 'sub/z.webp', 'sub/y.gif', 'sub/deeper/x.bmp', 'sub/deeper/w.tiff',
    'sub/deeper/v.tif', 'sub/deeper/u.jpeg', 'Sub2/k.jpg', '.git/h.jpg', 'noext', 'sub/deeper/notes.md']) touch('walk', f);
  const files = getImageFiles(root).map((f) => f.slice(root.length + 1));
  assert.deepEqual(files, [
    'a.PNG', 'b.jpg',
    'Sub2/k.jpg',
    'sub/y.gif', 'sub/z.webp',
    'sub/deeper/u.jpeg', 'sub/deeper/v.tif', 'sub/deeper/w.tiff', 'sub/deeper/x.bmp',
  ]);
  assert.deepEqual(getImageFiles(root, { recurse: false }).map((f) => f.slice(root.length + 1)), ['a.PNG', 'b.jpg']);
  assert.deepEqual(getFiles(root, { extensions: ['txt', '.MD'] }).map((f) => f.slice(root.length + 1)), ['c.txt', 'sub/deeper/notes.md']);
  assert.deepEqual(getImageFiles(root, { folders: ['Sub2'] }).map((f) => f.slice(root.length + 1)), ['Sub2/k.jpg']);
  assert.throws(() => getImageFiles(join(tmp, 'missing')), /no such folder/);
});

test('getImageFiles: a folder link loop does not hang', () => {
  const root = join(tmp, 'loop');
  touch('loop', 'a', 'x.jpg');
  symlinkSync('..', join(root, 'a', 'up'));
  const files = getImageFiles(root);
  assert.ok(files.length >= 1 && files.length < 10, `${files.length} files`);
});

test('compareCodePoints orders as Python sorted() (code points, not UTF-16 units)', () => {
  const xs = ['b', 'B', 'a', '_', 'Z', '\u{1F600}', '\uFF5E', 'é'];
  assert.deepEqual([...xs].sort(compareCodePoints), ['B', 'Z', '_', 'a', 'b', 'é', '\uFF5E', '\u{1F600}']);
  assert.deepEqual(makeVocab(['cat', 'Dog', 'cat', 'ant']), ['Dog', 'ant', 'cat']);
});

test("RegexLabeller: the seed's pattern gives the breed, re.search semantics, Python named groups", () => {
  const label = RegexLabeller(String.raw`^([^/]+)_\d+`);
  assert.equal(label('great_pyrenees_173.jpg'), 'great_pyrenees');
  assert.equal(label('Abyssinian_1.jpg'), 'Abyssinian');
  assert.equal(label('Tshirt_0.png'), 'Tshirt');
  // search: anywhere in the string
  assert.equal(RegexLabeller(String.raw`(\d+)\.png`)('img_042.png'), '042');
  assert.throws(() => RegexLabeller(String.raw`(\d+)\.png`, { match: true })('img_042.png'), LabelError);
  assert.equal(RegexLabeller(String.raw`(?P<cls>[a-z]+)_\d`)('dog_1.jpg'), 'dog');
  assert.equal(RegexLabeller(/([A-Z]+)-/i)('abc-1'), 'abc');
  // applied to a whole path, as fastai's from_path_re: / separators
  assert.equal(RegexLabeller(String.raw`/([^/]+)/[^/]+$`)('/data/cats/1.jpg'), 'cats');
});

test('RegexLabeller: a file that does not match names the file and the pattern', () => {
  const label = RegexLabeller(String.raw`^([^/]+)_\d+`);
  assert.throws(() => label('README.jpg'), (e: unknown) => {
    assert.ok(e instanceof LabelError);
    assert.match(e.message, /README\.jpg/);
    assert.match(e.message, /\^\(\[\^\/\]\+\)_\\d\+/);
    assert.equal(e.item, 'README.jpg');
    return true;
  });
  assert.throws(() => RegexLabeller('^[a-z]+')('abc'), /no group 1/);
  // through a DataBlock: the first bad file is named
  const block = new DataBlock({ getY: usingName(label), splitter: RandomSplitter({ seed: 1 }) });
  assert.throws(() => block.datasets(['/x/cat_1.jpg', '/x/dog_2.jpg', '/x/oops.jpg']), /oops\.jpg/);
});

test('parentLabel, usingName, function labellers and labelItems', () => {
  assert.equal(parentLabel('/data/train/cat/1.jpg'), 'cat');
  assert.equal(usingName((n) => n.slice(0, 3))('/a/b/dog_1.jpg'), 'dog');
  assert.deepEqual(labelItems(['/a/x_1.jpg', '/b/y_2.jpg'], (f) => f.split('/')[1]!), ['a', 'b']);
  assert.throws(() => labelItems(['/a/x.jpg'], () => { throw new Error('boom'); }), /\/a\/x\.jpg: boom/);
  assert.throws(() => labelItems(['/a/x.jpg'], () => '' as string), /non-empty string/);
});

interface SplitCase { n: number; seed: number; validPct: number; nValid: number; nTrain: number; train?: number[]; valid?: number[];
  validHead?: number[]; validTail?: number[]; trainHead?: number[]; trainTail?: number[] }

test('RandomSplitter gives exactly fastai\'s split for the same seed (golden from Debian\'s PyTorch)', () => {
  const golden = JSON.parse(readFileSync(join(process.cwd(), 'test/golden/split.json'), 'utf8')) as { cases: SplitCase[] };
  assert.ok(golden.cases.length >= 5);
  for (const c of golden.cases) {
    const items = Array.from({ length: c.n }, (_, i) => `f${i}`);
    const [train, valid] = RandomSplitter({ validPct: c.validPct, seed: c.seed })(items);
    const what = `n=${c.n} seed=${c.seed} validPct=${c.validPct}`;
    assert.equal(valid.length, c.nValid, what);
    assert.equal(train.length, c.nTrain, what);
    if (c.valid) {
      assert.deepEqual(valid, c.valid, what);
      assert.deepEqual(train, c.train, what);
    } else {
      assert.deepEqual(valid.slice(0, 50), c.validHead, what);
      assert.deepEqual(valid.slice(-50), c.validTail, what);
      assert.deepEqual(train.slice(0, 50), c.trainHead, what);
      assert.deepEqual(train.slice(-50), c.trainTail, what);
    }
  }
});

test('RandomSplitter against live Python when available (seed 42, n 7390 as Pets)', { skip: pythonWithTorch() === null ? 'no /usr/bin/python3 with torch' : false }, () => {
  const py = spawnSync(pythonWithTorch()!, ['-c',
    'import torch\ntorch.manual_seed(7)\np=torch.randperm(333).tolist()\nprint(",".join(map(str,p[:int(0.3*333)])))'], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const [, valid] = RandomSplitter({ validPct: 0.3, seed: 7 })(Array.from({ length: 333 }, String));
  assert.equal(valid.join(','), py.stdout.trim());
});

test('RandomSplitter: a partition of the items; unseeded splits differ; bad validPct refused', () => {
  const items = Array.from({ length: 50 }, String);
  const [t, v] = RandomSplitter({ validPct: 0.3, seed: 3 })(items);
  assert.equal(v.length, 15);
  assert.deepEqual([...t, ...v].sort((a, b) => a - b), items.map((_, i) => i));
  const a = RandomSplitter()(items)[1].join();
  const b = RandomSplitter()(items)[1].join();
  assert.notEqual(a, b);
  assert.throws(() => RandomSplitter({ validPct: 1.5 }), /between 0 and 1/);
});

test('GrandparentSplitter, FolderSplitter, FuncSplitter, IndexSplitter', () => {
  const items = ['/d/train/cat/1.jpg', '/d/valid/cat/2.jpg', '/d/train/dog/3.jpg', '/d/test/dog/4.jpg', '/d/valid/dog/5.jpg'];
  assert.deepEqual(GrandparentSplitter()(items), [[0, 2], [1, 4]]);
  assert.deepEqual(GrandparentSplitter({ trainName: 'train', validName: ['valid', 'test'] })(items), [[0, 2], [1, 3, 4]]);
  assert.deepEqual(FolderSplitter('test')(items), [[0, 1, 2, 4], [3]]);
  assert.deepEqual(FuncSplitter((f) => f.endsWith('3.jpg'))(items), [[0, 1, 3, 4], [2]]);
  assert.deepEqual(IndexSplitter([4, 0])(items), [[1, 2, 3], [4, 0]]);
  assert.throws(() => IndexSplitter([9])(items), /out of range/);
});

test('DataBlock.datasets: sorted vocabulary from the training set; a validation label unknown to it is refused by name', () => {
  const items = ['/p/cat_1.jpg', '/p/dog_1.jpg', '/p/ant_1.jpg', '/p/cat_2.jpg'];
  const block = new DataBlock({ getY: usingName(RegexLabeller(String.raw`^([^/]+)_\d+`)), splitter: IndexSplitter([3]) });
  const d = block.datasets(items);
  assert.deepEqual(d.vocab, ['ant', 'cat', 'dog']);
  assert.deepEqual(d.valid.files, ['/p/cat_2.jpg']);
  const bad = new DataBlock({ getY: usingName(RegexLabeller(String.raw`^([^/]+)_\d+`)), splitter: IndexSplitter([2]) });
  assert.throws(() => bad.datasets(items), /ant_1\.jpg.*'ant'.*not in the vocabulary/);
  assert.throws(() => new DataBlock({ getY: (f) => f, itemTfms: [{ kind: 'resize', size: [1, 1], method: 'crop', padMode: 'zeros' }, { kind: 'resize', size: [1, 1], method: 'crop', padMode: 'zeros' }] }), /one resizing item transform/);
});
