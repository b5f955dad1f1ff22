/** `owlet lr-find`: fastai's learning-rate finder on a folder (or Fashion-MNIST): the suggestion and the plot. */
import { Command } from 'commander';
import { FOLDER_DEFAULTS, MAIN_JOB_DEFAULTS, fashionMnistTrainFolder, lrFindFolder } from '../train-job.js';
import { addDataOptions, parseInteger, trainOptions, type DataCliOptions } from './train.js';

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
        await lrFindFolder({ augment: 'flip', ...o, data }, MAIN_JOB_DEFAULTS);
        return;
      }
      await lrFindFolder({ ...o, data: opts.data }, FOLDER_DEFAULTS);
    });
  return cmd;
}
