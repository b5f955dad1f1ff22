/**
 * `owlet compare 'resnet*' 'convnext_*' …`: speed against accuracy, measured on this machine (the
 * lesson's "which image models are best?" chart), each model in a process of its own.
 */
import { Command, Option } from 'commander';
import { machineProfile } from '../../engine/index.js';
import { resolvePrecision } from '../../learner/index.js';
import { UserError } from '../errors.js';
import { compareModels } from '../jobs/compare.js';
import { parseInteger, parseNumber } from '../options.js';
import type { CliPrecision } from '../recipes.js';

interface CompareCliOptions {
  size?: number;
  batch: number;
  precision: CliPrecision;
  threads?: number;
  out: string;
  train: boolean;
  timeout: number;
  seconds?: number;
  exclude?: string;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('measure models of the zoo on this machine (images/s, training images/s, peak memory, parameters, GMACs), join them with timm\'s published ImageNet top-1, and draw the lesson\'s speed-against-accuracy chart')
    .argument('<models...>', 'model names or wildcard patterns, as `owlet models` takes them: \'resnet*\' \'convnext_*\' small_cnn')
    .option('--exclude <patterns>', 'leave out the models these comma-separated patterns match (timm\'s exclude_filters): --exclude \'*large*,*huge*\'')
    .option('--size <px>', 'input size for every model (default: the size its published top-1 was measured at, else 224)', parseInteger('--size', 8))
    .option('--batch <n>', 'batch size of the batched inference and of training', parseInteger('--batch', 1), 16)
    .addOption(new Option('--precision <mode>', 'fp32, bf16 (autocast with channels-last; on a CPU with bf16 instructions) or auto').choices(['fp32', 'bf16', 'auto']).default('fp32'))
    .option('--threads <n>', 'libtorch threads of each measuring process (default: one per logical CPU)', parseInteger('--threads', 1))
    .option('--out <folder>', 'where compare.csv, compare.png and compare.html go', 'owlet-compare')
    .option('--no-train', 'measure inference only (no training step)')
    .option('--timeout <seconds>', 'a model that takes longer is stopped and reported as timed out', parseNumber('--timeout', (n) => n > 0, 'a positive number of seconds'), 600)
    .option('--seconds <s>', 'seconds each timed phase aims for (more: steadier figures)', parseNumber('--seconds', (n) => n > 0, 'a positive number of seconds'))
    .addHelpText('after', `
Examples:
  owlet compare 'resnet*' 'convnext*' --size 224 --exclude '*large*,*huge*'   the zoo at 224 px, the largest left out
  owlet compare resnet18 resnet50 convnext_tiny --no-train
  owlet compare 'convnext_*' --precision bf16            bf16 autocast (CPUs with bf16 instructions)`)
    .action(async (patterns: string[], opts: CompareCliOptions) => {
      try {
        resolvePrecision(opts.precision, 'cpu');
      } catch (e) {
        throw new UserError(`--precision ${opts.precision}: ${(e as Error).message}`);
      }
      await compareModels({
        patterns, batch: opts.batch, precision: opts.precision, threads: opts.threads ?? machineProfile().defaultThreads,
        train: opts.train, timeout: opts.timeout, out: opts.out,
        ...(opts.exclude !== undefined ? { exclude: opts.exclude.split(',').map((p) => p.trim()).filter((p) => p !== '') } : {}),
        ...(opts.size !== undefined ? { size: opts.size } : {}), ...(opts.seconds !== undefined ? { phaseSeconds: opts.seconds } : {}),
      });
    });
}
