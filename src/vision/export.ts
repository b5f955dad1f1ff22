/**
 * Vision's part of the export format (learner/export-kinds.ts): the model kinds it rebuilds — a
 * vision learner's `Sequential(TimmBody, head)` from its spec, and a plain zoo model — and the
 * image input pipeline, which prepares raw images for `predict` (decode, the validation resize,
 * normalise) and gives a loaded learner a `dls.testDl` over image files (with the training
 * augmentations recorded, for `tta`).
 *
 * Importing this module registers them. owlet's index and `visionLearner` import it, so an export
 * loads for anyone who imports owlet or has made a vision learner.
 */
import { pipelineTestDl, imageToTensor } from '../data/prepare.js';
import { registerInputPipeline, registerModelKind } from '../learner/export-kinds.js';
import { createModel } from '../models/create.js';
import { createVisionModel, type VisionModelSpec } from './head.js';

/** A zoo model as it is, with its own classifier. */
export interface ZooModelSpec {
  kind: 'zoo';
  arch: string;
  numClasses: number;
}

registerModelKind<VisionModelSpec>('vision', async (spec) => (await createVisionModel(spec.arch, spec.nOut, { ...spec.head, pretrained: false, init: false })).model);

registerModelKind<ZooModelSpec>('zoo', (spec) => createModel(spec.arch, { numClasses: spec.numClasses }));

registerInputPipeline('image', {
  itemRank: 3,
  prepare: (pipeline) => (input) => {
    if (typeof input !== 'string' && !(input instanceof Uint8Array))
      throw new TypeError(`predict: an image is a file path or its bytes (a Buffer), or a prepared tensor; got ${input === null ? 'null' : typeof input}`);
    return imageToTensor(input, pipeline);
  },
  testDl: (pipeline) => (items, options = {}) => pipelineTestDl(items, pipeline, options),
});
