/** `owlet lr-find`: fastai's learning-rate finder on a folder (or Fashion-MNIST): the suggestion and the plot. */
import { Command } from 'commander';
import { lrFindFolder } from '../jobs/lr-find.js';
import { fashionMnistTrainFolder } from '../jobs/main-job.js';
import { addDataOptions, parseInteger, trainOptions, type DataCliOptions } from '../options.js';
import { MAIN_JOB_RECIPES } from '../recipes.js';

export function lrFindCommand(): Command {
  const cmd = new Command('lr-find')
    .description('run the learning-rate finder: prints the suggested learning rate (valley) and writes the plot as PNG');
  addDataOptions(cmd)
    .option('--plot <file>', 'where to write the plot (PNG)', 'lr-find.png')
    .option('--num-it <n>', 'batches to try (default 100)', parseInteger('--num-it', 2))
    .action(async (opts: DataCliOptions & { plot: string; numIt?: number }) => {
      const o = { ...trainOptions(opts), plot: opts.plot, ...(opts.numIt !== undefined ? { numIt: opts.numIt } : {}) };
      if (opts.data === undefined) {
        const data = await fashionMnistTrainFolder(opts.limit);
        await lrFindFolder({ ...o, data }, MAIN_JOB_RECIPES[0]!);
        return;
      }
      await lrFindFolder({ ...o, data: opts.data });
    });
  return cmd;
}
