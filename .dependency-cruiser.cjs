/**
 * owlet's architecture, checked by dependency-cruiser (test/architecture.test.ts runs it):
 *   engine ← nn, io, hub, optim, plot, explore, distributed ← models, data ← learner ← vision, tabular ← onnx, serve ← cli
 *   http (node:http helpers: JSON answers, listening, a page's files) is a base beside engine, for explore and serve.
 * Imports only point down that list; type-only imports do not count for circles (they vanish at
 * run time). `npx depcruise src --config .dependency-cruiser.cjs` prints what breaks a rule.
 */
const layer = (name, allowed, comment) => ({
  name: `${name}-imports-only-below`,
  comment,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: '^src/', pathNot: [`^src/${name}/`, ...allowed.map((a) => `^src/${a}/`)] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle (type-only imports aside) makes module-level code fail depending on which file is imported first.',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    layer('engine', [], 'The engine (tensors, autograd, the machine profile) is the base: it imports no other part of owlet.'),
    layer('http', [], 'HTTP helpers on node:http (JSON answers, listening, static files), shared by explore and serve: they know nothing of tensors.'),
    layer('nn', ['engine'], 'Modules are built on tensors alone.'),
    layer('io', ['engine'], 'safetensors reads and writes tensors.'),
    layer('hub', ['engine'], 'The hub downloads files.'),
    layer('optim', ['engine'], 'Optimizers update tensors.'),
    layer('plot', ['engine'], 'Plots draw numbers.'),
    layer('explore', ['engine', 'plot', 'http'], 'The lesson page works on tensors.'),
    layer('models', ['engine', 'nn', 'io', 'hub'], 'The zoo knows modules and weights, not data or training.'),
    layer('data', ['engine', 'hub'], 'The data pipeline knows no model, learner or domain factory.'),
    layer('distributed', ['engine'], 'Process groups and collectives (PyTorch c10d) work on tensors; the Learner builds data-parallel training on them.'),
    layer('learner', ['engine', 'nn', 'io', 'optim', 'plot', 'data', 'distributed'], 'The Learner is domain-free: vision and tabular register with it, not the other way round.'),
    layer('vision', ['engine', 'nn', 'io', 'hub', 'optim', 'plot', 'models', 'data', 'learner', 'distributed'], 'Vision builds on everything but the command line.'),
    layer('onnx', ['engine', 'nn', 'io', 'hub', 'optim', 'plot', 'models', 'data', 'learner', 'vision'], 'ONNX export writes the module trees of the zoo and of fastai\'s head; it registers its writer with the learner.'),
    layer('tabular', ['engine', 'nn', 'io', 'optim', 'plot', 'data', 'learner', 'distributed'], 'Tables build on the Learner beside vision: neither imports the other.'),
    layer('serve', ['engine', 'nn', 'io', 'hub', 'optim', 'plot', 'models', 'data', 'learner', 'vision', 'distributed', 'http'], 'The model server serves what vision exports; only the command line is above it.'),
    {
      name: 'learner-uses-only-generic-data',
      comment: 'The Learner sees batches through data/types.ts, not an image pipeline.',
      severity: 'error',
      from: { path: '^src/learner/' },
      to: { path: '^src/data/', pathNot: '^src/data/(types|sampler)\\.ts$' },
    },
    {
      name: 'model-families-are-independent',
      comment: 'A family (resnet.ts, convnext.ts, …) imports only the shared layers, the registry and its own cfgs: adding one touches nothing else.',
      severity: 'error',
      from: { path: '^src/models/([^/]+)\\.ts$', pathNot: '^src/models/(registry|create|index|families)\\.ts$' },
      to: { path: '^src/models/[^/]+\\.ts$', pathNot: '^src/models/(registry|$1-cfgs)\\.ts$' },
    },
    {
      name: 'only-the-cli-is-on-top',
      comment: 'Nothing in the library imports the command line.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
