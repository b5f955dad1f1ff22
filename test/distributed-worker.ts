// One rank of the distributed tests (test/distributed.test.ts), started by them with torchrun's
// variables: `node distributed-worker.js <scenario> <out>`. Scenarios:
//   single  one process, global batch 16, the same seeded order as the data-parallel run
//   ddp     data-parallel, batch 8 a rank (needs 2 ranks)
//   die     rank 1 exits at its 5th step; hang: rank 1 stops (blocks) at its 5th step
//   killed  like ddp with an epoch checkpoint, but rank 1 exits in the second epoch; resume: resumes it
// Rank 0 (or the single process) writes <out>.json: the parameters, the epoch table and the reducer's
// figures; a rank that fails writes its error to <out>.rank<r>.err.
import { writeFileSync } from 'node:fs';
import { manualSeed, randn, type Tensor } from '../src/index.js';
import * as nn from '../src/nn/index.js';
import { Callback, DistributedTrainer, Learner, TensorDataLoader, accuracy, type Learner as L } from '../src/learner/index.js';
import { DistributedSampler } from '../src/data/sampler.js';
import { SGD } from '../src/optim/index.js';
import { destroyProcessGroup, getRank, initProcessGroup } from '../src/distributed/index.js';
import type { DataLoaders } from '../src/data/types.js';

const [scenario = 'single', out = '/tmp/owlet-dist'] = process.argv.slice(2);
const distributed = scenario !== 'single';
process.env['OWLET_PROGRESS'] = 'none';

function data(bs: number): DataLoaders {
  manualSeed(0);
  const w = randn([10, 4]);
  const mk = (n: number): [Tensor, Tensor] => {
    const x = randn([n, 10]);
    return [x, x.matmul(w).argmax(1)];
  };
  const [xt, yt] = mk(160);
  const [xv, yv] = mk(51);
  const train = new TensorDataLoader(xt, yt, { bs, dropLast: true, sampler: new DistributedSampler(160, { seed: 0 }) });
  const valid = new TensorDataLoader(xv, yv, { bs, shuffle: false });
  return { train, valid, vocab: ['a', 'b', 'c', 'd'], c: 4, pipeline: { kind: 'tabular' } };
}

/** Makes rank 1 fail at its 5th step of `epoch`, as the scenario says. */
class Fault extends Callback {
  constructor(readonly how: 'die' | 'hang', readonly epoch: number) {
    super();
  }
  afterBatch(learn: L): void {
    if (!learn.training || getRank() !== 1 || learn.epoch !== this.epoch || learn.iter !== 4) return;
    if (this.how === 'die') process.exit(3);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  }
}

async function main(): Promise<void> {
  if (distributed) initProcessGroup({ timeout: Number(process.env['OWLET_TEST_TIMEOUT'] ?? 60) });
  const rank = distributed ? getRank() : 0;
  manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(10, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const lines: string[] = [];
  const learn = new Learner(data(distributed ? 8 : 16), model, { optFunc: SGD, lr: 0.1, metrics: [accuracy], logger: (l) => lines.push(l) });
  let ddp: DistributedTrainer | null = null;
  if (distributed) {
    ddp = new DistributedTrainer(scenario === 'killed' || scenario === 'resume' ? { checkpoint: `${out}-ck.safetensors` } : {});
    learn.addCb(ddp);
  }
  if (scenario === 'die' || scenario === 'hang') learn.addCb(new Fault(scenario, 0));
  if (scenario === 'killed') learn.addCb(new Fault('die', 1));
  await learn.fit(2, scenario === 'resume' ? { resume: `${out}-ck.safetensors` } : {});
  if (rank === 0) {
    const params = learn.model.parameters().flatMap((p) => p.toFlatArray() as number[]);
    writeFileSync(`${out}.json`, JSON.stringify({ params, lines, stats: ddp?.lastStats ?? null }));
  }
  if (distributed) destroyProcessGroup();
}

main().catch((e: unknown) => {
  const rank = process.env['RANK'] ?? '0';
  writeFileSync(`${out}.rank${rank}.err`, (e as Error).message);
  process.stderr.write(`rank ${rank}: ${(e as Error).message}\n`);
  process.exit(1);
});
