/** `owlet`: the command line. Each command is a file in src/cli/commands/. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleCommand } from './commands/example.js';
import { infoCommand } from './commands/info.js';
import { inspectCommand } from './commands/inspect.js';
import { modelsCommand } from './commands/models.js';
import { exploreCommand } from './commands/explore.js';
import { trainCommand } from './commands/train.js';
import { predictCommand } from './commands/predict.js';
import { lrFindCommand } from './commands/lr-find.js';

function packageVersion(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('owlet')
    .description('Deep learning for TypeScript in the fastai style, on libtorch')
    .version(packageVersion(), '-V, --version')
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
  return program;
}

/** Runs the CLI; returns the exit code. Errors a user can cause print a message, never a stack. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    console.error(`owlet: ${(e as Error).message}`);
    return 1;
  }
}
