/**
 * The course's notebook 06 ("Why you should use a framework") on examples/titanic/data: its
 * features (features.ts), fastai's processors and tabular learner with layers [10, 10], lrFind,
 * `fit(16, lr=0.03)`, a submission, and an ensemble of five learners whose probabilities are
 * averaged. Each learner's seed is printed (manualSeed before it is made: its initial weights and
 * its batches' order follow from it). The single learner runs lrFind first, as the notebook does,
 * which draws batches, so it ends differently from the ensemble's learner of the same seed.
 *
 *   npm run example -- titanic/tabular [data folder] [submission.csv]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accuracy, manualSeed, packageRoot, pyFixed, stack, type Learner, type Tensor } from '../../src/index.js';
import { DataFrame, readCsv, TabularDataLoaders, tabularLearner } from '../../src/tabular/index.js';
import { addFeatures } from './features.js';

export const CAT_NAMES = ['Sex', 'Pclass', 'Embarked', 'Title'];
export const CONT_NAMES = ['Age', 'SibSp', 'Parch', 'LogFare', 'Alone', 'TicketFreq', 'Family'];
export const SEEDS = [0, 1, 2, 3, 4];

const accuracyOf = (probs: Tensor, targs: Tensor): number => probs.argmax(1).eq(targs).float().mean().item();

export async function main(args: string[] = []): Promise<void> {
  const data = args[0] ?? join(packageRoot(), 'examples', 'titanic', 'data');
  const subFile = args[1];
  const df = addFeatures(readCsv(join(data, 'train.csv')));
  const tst = addFeatures(readCsv(join(data, 'test.csv')));
  const dls = TabularDataLoaders.fromDf(df, { yNames: 'Survived', yBlock: 'category', catNames: CAT_NAMES, contNames: CONT_NAMES, seed: 42 });
  console.log(`train ${dls.train.n} rows, valid ${dls.valid.n}; categorical: ${dls.catNames.join(', ')}; continuous: ${dls.contNames.join(', ')}`);
  const make = (seed: number, log: boolean): Learner => {
    manualSeed(seed);
    return tabularLearner(dls, { metrics: [accuracy], layers: [10, 10], ...(log ? {} : { logger: null }) });
  };

  const learn = make(SEEDS[0]!, true);
  console.log(learn.model.toString());
  const { suggestions } = await learn.lrFind();
  console.log(`lrFind: valley ${pyFixed(suggestions.valley!.lr, 5)}`);
  await learn.fit(16, { lr: 0.03 });
  const single = await learn.getPreds();
  console.log(`accuracy single (seed ${SEEDS[0]}): ${pyFixed(accuracyOf(single.preds, single.targs), 4)}`);
  const tstDl = dls.testDl(tst);

  const valid: Tensor[] = [];
  const test: Tensor[] = [];
  for (const seed of SEEDS) {
    const l = make(seed, false);
    await l.fit(16, { lr: 0.03 });
    const v = await l.getPreds();
    valid.push(v.preds);
    test.push((await l.getPreds(tstDl)).preds);
    console.log(`  learner seed ${seed}: accuracy ${pyFixed(accuracyOf(v.preds, v.targs), 4)}`);
  }
  const ens = stack(valid).mean(0);
  console.log(`accuracy ensemble of ${SEEDS.length} (seeds ${SEEDS.join(', ')}): ${pyFixed(accuracyOf(ens, single.targs), 4)}`);
  const survived = stack(test).mean(0).index(':', 1).gt(0.5).int().toFlatArray() as number[];
  const sub = new DataFrame({ PassengerId: tst.col('PassengerId'), Survived: survived });
  if (subFile !== undefined) writeFileSync(subFile, sub.toCsv());
  console.log(`submission: ${sub.length} rows, ${survived.reduce((a, b) => a + b, 0)} survive${subFile !== undefined ? ` (${subFile})` : ''}`);
}
