/**
 * `owlet train`: trains an image classifier on a folder of images whose names give their labels
 * (`--data`), prints fastai's tables and exports the model. With no `--data`, the main job: the same
 * on Fashion-MNIST, ending with `test accuracy: <figure>` on its 10,000 test images.
 */
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { getNumThreads, machineProfile } from '../../engine/index.js';
import { getLocalWorldSize } from '../../distributed/index.js';
import { addDistributedOptions, joinGroupFromEnv, launchIfAsked, leaveGroup, type DistributedCliOptions } from '../distributed.js';
import { mainJob } from '../jobs/main-job.js';
import { trainFolder } from '../jobs/train-folder.js';
import { parseArchList, trainCompare } from '../jobs/train-compare.js';
import { addDataOptions, parseInteger, parseNumber, trainOptions, type DataCliOptions } from '../options.js';
import { FOLDER_RECIPE, MAIN_JOB_BUDGET_MINUTES, MAIN_JOB_RECIPES, MAIN_JOB_TTA } from '../recipes.js';

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description('train an image classifier on a folder of images named <label>_<n>.<ext> (with no --data: the main job on Fashion-MNIST)');
  addDistributedOptions(addDataOptions(cmd))
    .option('--epochs <n>', `epochs (default: ${FOLDER_RECIPE.epochs} with --data; for Fashion-MNIST as many as fit in --budget, at most ${MAIN_JOB_RECIPES[0]!.epochs})`, parseInteger('--epochs', 1))
    .option('--budget <minutes>', `minutes of training: the first batches are measured and the epochs cut to what fits (default: ${MAIN_JOB_BUDGET_MINUTES} for Fashion-MNIST, none with --data)`, parseNumber('--budget', (n) => n > 0, 'a positive number of minutes'))
    .option('--export <file>', 'where to export the trained model (default: <data>/export.safetensors; Fashion-MNIST: in owlet\'s cache)')
    .option('--out <folder>', 'with several models (--arch a,b,c): where their exports, compare.csv, compare.png and compare.html go', 'owlet-compare')
    .option('--tta <n>', `Fashion-MNIST only: test-time augmentation for the test accuracy, n augmented passes (fastai's tta; 0: none) (default: ${MAIN_JOB_TTA})`, parseInteger('--tta', 0))
    .addHelpText('after', `
Examples:
  owlet train                                         the main job: Fashion-MNIST, ends with "test accuracy: …"
  owlet train --budget 5                              the main job in 5 minutes of training
  owlet train --data ~/pets/images --epochs 3         fineTune a pretrained resnet34 on the pets
  owlet train --data digits                           small images: a small CNN from scratch, lr from lr-find
  owlet train --data imgs --no-pretrained --size 64   from scratch
  owlet train --arch small_cnn,resnet20,small_cnn_wide --epochs 3    three models side by side on Fashion-MNIST
  owlet train --data ~/pets/images --arch resnet34,convnext_tiny      the lesson's comparison, fine-tuned
  owlet train --nproc 2 --threads 1                   the main job data-parallel in 2 processes (--bs per process)
  torchrun --no-python --nproc_per_node=2 npx owlet train    the same, started by PyTorch's launcher
  owlet predict imgs/export.safetensors cat.jpg`)
    .action(async (opts: DataCliOptions & DistributedCliOptions & { epochs?: number; export?: string; tta?: number; budget?: number; out: string }) => {
      if (opts.arch?.includes(',')) {
        if (opts.nproc !== undefined || opts.nnodes !== undefined || process.env['RANK'] !== undefined) {
          throw new UserError('--arch with several models trains them one after another, each in its own process: it does not combine with --nproc/--nnodes or torchrun; compare the models first, then train the chosen one data-parallel');
        }
        const archs = parseArchList(opts.arch);
        if (opts.export !== undefined) throw new UserError('--export names one model\'s file: with several models each is exported to <--out>/<arch>.safetensors');
        const { arch: _arch, ...shared } = trainOptions(opts);
        await trainCompare({
          ...shared, archs, threads: getNumThreads(), out: opts.out,
          ...(opts.data !== undefined ? { data: opts.data } : {}), ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}), ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.tta !== undefined ? { tta: opts.tta } : {}),
        });
        return;
      }
      const launched = await launchIfAsked(opts);
      if (launched !== null) {
        process.exitCode = launched;
        return;
      }
      const group = joinGroupFromEnv();
      if (group !== null) process.on('exit', leaveGroup);
      // a rank's share of the cores, unless --threads says (torchrun sets OMP_NUM_THREADS=1 for the same reason)
      if (group !== null && opts.threads === undefined) opts.threads = Math.max(1, Math.floor(machineProfile().defaultThreads / getLocalWorldSize()));
      const o = {
        ...(group !== null ? { distributed: true, ...(group.rank !== 0 ? { out: () => undefined } : {}) } : {}),
        ...trainOptions(opts),
        ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
        ...(opts.export !== undefined ? { export: opts.export } : {}),
        ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
      };
      if (opts.data === undefined) {
        await mainJob({ ...o, ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.tta !== undefined ? { tta: opts.tta } : {}) });
        return;
      }
      if (opts.limit !== undefined) throw new UserError('--limit is for the Fashion-MNIST job (no --data)');
      if (opts.tta !== undefined) throw new UserError('--tta is for the Fashion-MNIST job (no --data)');
      const res = await trainFolder({ ...o, data: opts.data });
      await res.dls.close();
    });
  return cmd;
}
