/** `owlet models [pattern] [--pretrained]`: the zoo's names, as `timm.list_models` lists them. */
import { Command } from 'commander';
import { listModels } from '../../models/index.js';

export function modelsCommand(): Command {
  return new Command('models')
    .description('list the model zoo (wildcards allowed: "convnext*"); --pretrained lists arch.tag names with published weights')
    .argument('[pattern]', 'a name or wildcard pattern', '*')
    .option('--pretrained', 'list the tags that have published weights')
    .action((pattern: string, opts: { pretrained?: boolean }) => {
      const names = listModels(pattern, { pretrained: opts.pretrained ?? false });
      if (names.length === 0) throw new Error(`no model matches '${pattern}'`);
      console.log(names.join('\n'));
    });
}
