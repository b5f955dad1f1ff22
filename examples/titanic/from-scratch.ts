/**
 * The course's "Linear model and neural net from scratch" (fastai course notebook 05) on the Titanic
 * passengers of examples/titanic/data: the cleaning, a linear model from random coefficients, its
 * loss, gradient descent by hand and accuracy; then with a sigmoid, as a matrix product, with one
 * hidden layer and as a deeper net; and a Kaggle submission file. It prints what
 * reference/titanic_from_scratch.py prints with PyTorch and pandas (test/tabular-scratch.test.ts
 * checks the numbers agree).
 *
 *   npm run example -- titanic/from-scratch [data folder] [submission.csv]
 *
 * The notebook's pandas lines are the DataFrame's methods (src/tabular/dataframe.ts): `df.modes()`
 * is `df.mode().iloc[0]`, `df.getDummies(cols)` is `pd.get_dummies(df, columns=cols)`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualSeed, noGrad, packageRoot, pyFixed, rand, tensor, type Tensor } from '../../src/index.js';
import { RandomSplitter } from '../../src/data/splitters.js';
import { DataFrame, readCsv } from '../../src/tabular/index.js';

const f4 = (x: number | Tensor): string => pyFixed(typeof x === 'number' ? x : x.item(), 4);
const list = (t: Tensor): string => (t.toFlatArray() as number[]).map(f4).join(' ');

/** The notebook's columns: this data's Embarked has a fourth port, B (Belfast). */
const ADDED = ['Sex_male', 'Sex_female', 'Pclass_1', 'Pclass_2', 'Pclass_3', 'Embarked_B', 'Embarked_C', 'Embarked_Q', 'Embarked_S'];
export const INDEP_COLS = ['Age', 'SibSp', 'Parch', 'LogFare', ...ADDED];

/** `torch.tensor(df[cols].values, dtype=torch.float)`: the columns as a float32 matrix, one row a passenger. */
export function frameTensor(df: DataFrame, cols: readonly string[]): Tensor {
  const n = df.length;
  const out = new Float64Array(n * cols.length);
  cols.forEach((c, j) => df.numbers(c).forEach((v, i) => (out[i * cols.length + j] = v)));
  return tensor(out, { shape: [n, cols.length], dtype: 'float32' });
}

/** The notebook's cleaning: the modes filled in, LogFare, the dummies. */
export function clean(df: DataFrame, modes: Record<string, string | number | boolean | null>): DataFrame {
  df.fillna(modes);
  df.set('LogFare', df.numbers('Fare').map((f) => Math.log(f + 1)), 'float');
  return df.getDummies(['Sex', 'Pclass', 'Embarked']);
}

type Coeffs = Tensor[];
interface Model {
  init(): Coeffs;
  preds(coeffs: Coeffs, indeps: Tensor): Tensor;
}

export async function main(args: string[] = []): Promise<void> {
  const data = args[0] ?? join(packageRoot(), 'examples', 'titanic', 'data');
  const subFile = args[1];
  const raw = readCsv(join(data, 'train.csv'));
  const missing = Object.entries(raw.isnaSum()).filter(([, v]) => v > 0);
  console.log(`missing: ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const modes = raw.modes();
  const show = (v: unknown) => (typeof v === 'number' && raw.dtype('Age') === 'float' && Number.isInteger(v) ? `${v}.0` : String(v));
  console.log(`modes: ${['Age', 'SibSp', 'Parch', 'Fare', 'Embarked'].map((k) => `${k}=${show(modes[k])}`).join(', ')}`);
  const df = clean(raw, modes);
  const tDep = tensor(df.numbers('Survived'), { dtype: 'int64' });
  let tIndep = frameTensor(df, INDEP_COLS);
  console.log(`t_indep: [${tIndep.shape.join(', ')}]`);

  manualSeed(442);
  const nCoeff = tIndep.size(1);
  let coeffs = rand([nCoeff]).sub(0.5);
  const [vals] = tIndep.max(0);
  console.log(`max: ${list(vals)}`);
  tIndep = tIndep.div(vals);
  console.log(`coeffs: ${list(coeffs)}`);

  const linear: Model = { init: () => [rand([nCoeff]).sub(0.5).requiresGrad_()], preds: ([c], x) => x.mul(c!).sum(1) };
  const calcLoss = (m: Model, c: Coeffs, x: Tensor, y: Tensor) => m.preds(c, x).sub(y).abs().mean();
  coeffs.requiresGrad_();
  const loss = calcLoss(linear, [coeffs], tIndep, tDep);
  console.log(`loss: ${f4(loss)}`);
  loss.backward();
  console.log(`grad: ${list(coeffs.grad!)}`);
  noGrad(() => {
    coeffs.sub_(coeffs.grad!.mul(0.1));
    coeffs.grad!.zero_();
    console.log(`loss after one step: ${f4(calcLoss(linear, [coeffs], tIndep, tDep))}`);
  });

  const [trnSplit, valSplit] = RandomSplitter({ seed: 42 })(Array.from({ length: df.length }, String));
  console.log(`split: ${trnSplit.length} ${valSplit.length}`);
  const idx = (i: number[]) => tensor(i, { dtype: 'int64' });
  const trnIndep = tIndep.indexSelect(0, idx(trnSplit));
  const valIndep = tIndep.indexSelect(0, idx(valSplit));
  let trnDep = tDep.indexSelect(0, idx(trnSplit));
  let valDep = tDep.indexSelect(0, idx(valSplit));

  const trainModel = (m: Model, epochs = 30, lr = 0.01): Coeffs => {
    manualSeed(442);
    const c = m.init();
    const losses: string[] = [];
    for (let e = 0; e < epochs; e++) {
      const l = calcLoss(m, c, trnIndep, trnDep);
      l.backward();
      noGrad(() => {
        for (const p of c) {
          p.sub_(p.grad!.mul(lr));
          p.grad!.zero_();
        }
      });
      losses.push(f4(l));
    }
    console.log(`losses: ${losses.join('; ')}`);
    return c;
  };
  const acc = (m: Model, c: Coeffs) => valDep.bool().eq(m.preds(c, valIndep).gt(0.5)).float().mean();
  const results: Record<string, number> = {};
  const report = (name: string, m: Model, c: Coeffs) => {
    const a = acc(m, c).item();
    results[name] = a;
    console.log(`accuracy ${name}: ${f4(a)}`);
  };

  console.log('== linear, 18 epochs, lr 0.2');
  coeffs = trainModel(linear, 18, 0.2)[0]!;
  coeffs.requiresGrad_(false);
  console.log(`coeffs: ${INDEP_COLS.map((k, i) => `${k}=${f4(coeffs.index(i))}`).join(', ')}`);
  report('linear', linear, [coeffs]);

  console.log('== sigmoid, 30 epochs, lr 100');
  const sigmoid: Model = { init: linear.init, preds: (c, x) => linear.preds(c, x).sigmoid() };
  const sig = trainModel(sigmoid, 30, 100);
  report('sigmoid', sigmoid, sig);

  const tst = readCsv(join(data, 'test.csv'));
  tst.fillna({ Fare: 0 });
  const tstIndep = frameTensor(clean(tst, modes), INDEP_COLS).div(vals);
  const survived = noGrad(() => sigmoid.preds(sig, tstIndep).gt(0.5).int().toFlatArray() as number[]);
  const sub = new DataFrame({ PassengerId: tst.col('PassengerId'), Survived: survived });
  if (subFile !== undefined) writeFileSync(subFile, sub.toCsv());
  console.log(`submission: ${sub.length} rows, ${survived.reduce((a, b) => a + b, 0)} survive`);

  console.log('== matrix product, 30 epochs, lr 100');
  const same = valIndep.mul(sig[0]!).sum(1).allclose(valIndep.matmul(sig[0]!));
  console.log(`matrix product equals the sum: ${same ? 'True' : 'False'}`);
  const matrix: Model = { init: () => [rand([nCoeff, 1]).mul(0.1).requiresGrad_()], preds: ([c], x) => x.matmul(c!).sigmoid() };
  trnDep = trnDep.index(':', null);
  valDep = valDep.index(':', null);
  report('matrix', matrix, trainModel(matrix, 30, 100));

  console.log('== one hidden layer of 20');
  const nHidden = 20;
  const hidden: Model = {
    init: () => [rand([nCoeff, nHidden]).sub(0.5).div(nHidden).requiresGrad_(), rand([nHidden, 1]).sub(0.3).requiresGrad_(), rand([1]).index(0).requiresGrad_()],
    preds: ([l1, l2, c], x) => x.matmul(l1!).relu().matmul(l2!).add(c!).sigmoid(),
  };
  report('hidden lr 1.4', hidden, trainModel(hidden, 30, 1.4));
  report('hidden lr 20', hidden, trainModel(hidden, 30, 20));

  console.log('== deep: hidden layers 10, 10');
  const sizes = [nCoeff, 10, 10, 1];
  const deep: Model = {
    init: () => {
      const layers = sizes.slice(0, -1).map((s, i) => rand([s, sizes[i + 1]!]).sub(0.3).div(sizes[i + 1]!).mul(4));
      const consts = sizes.slice(0, -1).map(() => rand([1]).index(0).sub(0.5).mul(0.1));
      return [...layers, ...consts].map((t) => t.requiresGrad_());
    },
    preds: (c, x) => {
      const n = c.length / 2;
      let res = x;
      for (let i = 0; i < n; i++) {
        res = res.matmul(c[i]!).add(c[n + i]!);
        if (i !== n - 1) res = res.relu();
      }
      return res.sigmoid();
    },
  };
  report('deep', deep, trainModel(deep, 30, 4));
  return void results;
}
