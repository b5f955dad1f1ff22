/** `owlet`: the command line. Each command is a file in src/cli/commands/. */
import { Command } from 'commander';
import { owletVersion } from '../engine/index.js';
import { reportError } from './errors.js';
import { exampleCommand } from './commands/example.js';
import { infoCommand } from './commands/info.js';
import { inspectCommand } from './commands/inspect.js';
import { modelsCommand } from './commands/models.js';
import { exploreCommand } from './commands/explore.js';
import { trainCommand } from './commands/train.js';
import { predictCommand } from './commands/predict.js';
import { lrFindCommand } from './commands/lr-find.js';
import { exportOnnxCommand, exportWebCommand } from './commands/export-onnx.js';
import { tabularCommand } from './commands/tabular.js';
import { compareCommand } from './commands/compare.js';
import { serveCommand } from './commands/serve.js';

export function buildProgram(): Command {
  const program = new Command('owlet')
    .description('Deep learning for TypeScript in the fastai style, on libtorch')
    .version(owletVersion(), '-V, --version')
    .showHelpAfterError('(run `owlet --help` for the commands)')
    .exitOverride();
  program.addCommand(exampleCommand());
  program.addCommand(infoCommand());
  program.addCommand(modelsCommand());
  program.addCommand(inspectCommand());
  program.addCommand(exploreCommand());
  program.addCommand(trainCommand());
  program.addCommand(predictCommand());
  program.addCommand(lrFindCommand());
  program.addCommand(exportOnnxCommand());
  program.addCommand(exportWebCommand());
  program.addCommand(tabularCommand());
  program.addCommand(compareCommand());
  program.addCommand(serveCommand());
  return program;
}

/** Runs the CLI; returns the exit code. A user's mistake prints its message; anything else its stack, as a bug (errors.ts). */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
