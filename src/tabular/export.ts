/**
 * Tables' part of the export format (learner/export-kinds.ts): the 'tabular' model kind, rebuilt
 * from its spec (embedding sizes, layers, options), and the 'tabular' input pipeline, whose state
 * (the columns' roles, Categorify's vocabularies, FillMissing's fills, Normalize's means and stds)
 * is in the file. `predict(row)` takes one row object; a loaded learner's `dls.testDl` takes a
 * DataFrame, row objects or CSV files, as a trained one's does.
 *
 * Importing this module registers them: owlet's index and `tabularLearner` import it.
 */
import { tensor } from '../engine/index.js';
import { registerInputPipeline, registerModelKind, type TestDl } from '../learner/export-kinds.js';
import { DataFrame, type Row } from './dataframe.js';
import { tabularTestDl, type TabularItems, type TabularPipeline } from './dataloaders.js';
import { buildTabularModel, type TabularModelSpec } from './model.js';
import { applyProcs } from './procs.js';

registerModelKind<TabularModelSpec>('tabular', (spec, { fail }) => {
  if (!Array.isArray(spec.embSzs) || !Array.isArray(spec.layers) || typeof spec.nCont !== 'number' || typeof spec.outSz !== 'number') fail('its tabular model spec is incomplete');
  return buildTabularModel(spec);
});

registerInputPipeline('tabular', {
  itemRank: 1,
  prepare: (pipeline) => (input) => {
    const state = (pipeline as TabularPipeline).tabular;
    if (typeof input !== 'object' || input === null || Array.isArray(input) || input instanceof Uint8Array)
      throw new TypeError(`predict: a tabular item is one row as an object ({${state.contNames[0] ?? state.catNames[0] ?? 'column'}: value, …}), or a prepared tensor`);
    const e = applyProcs(DataFrame.fromRows([input as Row]), state, false);
    return tensor(e.x, { shape: [state.catNames.length + state.contNames.length] });
  },
  testDl: (pipeline) => ((items: TabularItems, options: { bs?: number } = {}) => tabularTestDl((pipeline as TabularPipeline).tabular, items, options)) as TestDl,
});
