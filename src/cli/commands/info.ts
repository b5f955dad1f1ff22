/** `owlet info`: the machine profile owlet's choices come from, and the libtorch it runs on. */
import { Command } from 'commander';
import { describeMachine, machineProfile } from '../../engine/index.js';

export function infoCommand(): Command {
  return new Command('info')
    .description('show the machine profile (CPU instruction sets, cores, memory), the libtorch owlet runs on, its threads and devices')
    .option('--json', 'print the profile as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json === true) console.log(JSON.stringify(machineProfile(), null, 2));
      else for (const line of describeMachine()) console.log(line);
    });
}
