/** `owlet tabular`: trains fastai's tabular learner on a CSV file, and predicts another (jobs/tabular.ts). */
import { Command, InvalidArgumentError } from 'commander';
import { parseInteger, parseNumber } from '../options.js';
import { TABULAR_DEFAULTS, tabularJob } from '../jobs/tabular.js';

function parseLayers(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError('--layers is a list of whole numbers, e.g. 200,100');
  return sizes;
}

export function tabularCommand(): Command {
  const d = TABULAR_DEFAULTS;
  return new Command('tabular')
    .description('train fastai\'s tabular learner on a CSV file (columns typed and printed), export it, and predict a test CSV')
    .requiredOption('--train <csv>', 'the training table: a CSV file with a header line')
    .requiredOption('--y <column>', 'the target column (whole numbers with few values, text or booleans: categories; other numbers: a regression)')
    .option('--test <csv>', 'a table to predict, with the same columns but the target')
    .option('--submission <file>', 'where the test predictions go, as <id>,<target> (default: submission.csv beside --test)')
    .option('--cat <names>', 'the categorical columns, comma-separated (default: inferred, printed)')
    .option('--cont <names>', 'the continuous columns, comma-separated (default: inferred, printed)')
    .option('--epochs <n>', `epochs of fitOneCycle (default ${d.epochs})`, parseInteger('--epochs', 1))
    .option('--lr <rate>', `fitOneCycle's peak learning rate (default ${d.lr})`, parseNumber('--lr', (n) => n > 0, 'a positive number'))
    .option('--bs <n>', `batch size (default ${d.bs})`, parseInteger('--bs', 1))
    .option('--layers <sizes>', `hidden layer sizes (default ${d.layers.join(',')})`, parseLayers)
    .option('--valid-pct <share>', `the share of rows held out for validation (default ${d.validPct})`, parseNumber('--valid-pct', (n) => n > 0 && n < 1, 'a number between 0 and 1'))
    .option('--seed <n>', `seeds the split, the initial weights and the shuffling (default ${d.seed})`, parseInteger('--seed', 0))
    .option('--export <file>', 'where to export the model (default: export.safetensors beside --train)')
    .option('--no-export', 'do not export the model')
    .option('--threads <n>', 'libtorch threads (default: libtorch\'s, one a physical core: small tables train fastest on one)', parseInteger('--threads', 1))
    .addHelpText('after', `
Examples:
  owlet tabular --train train.csv --y Survived
  owlet tabular --train train.csv --y Survived --test test.csv --submission submission.csv
  owlet predict export.safetensors   (images only; a tabular export predicts with loadLearner(file).predict(row))`)
    .action(async (opts: Record<string, unknown>) => {
      await tabularJob({
        train: opts['train'] as string,
        y: opts['y'] as string,
        ...(Object.fromEntries(['test', 'submission', 'cat', 'cont', 'epochs', 'lr', 'bs', 'layers', 'validPct', 'seed', 'threads'].filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]))),
        ...(opts['export'] === false ? { export: null } : typeof opts['export'] === 'string' ? { export: opts['export'] } : {}),
      });
    });
}
