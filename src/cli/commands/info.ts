/** `owlet info`: what owlet runs on. */
import { Command } from 'commander';
import { cudaIsAvailable, getNumThreads, libtorchVersion } from '../../engine/index.js';

export function infoCommand(): Command {
  return new Command('info').description('show the libtorch owlet runs on, its threads and devices').action(() => {
    console.log(`libtorch ${libtorchVersion()}`);
    console.log(`threads  ${getNumThreads()}`);
    console.log(`cuda     ${cudaIsAvailable() ? 'available' : 'not available'}`);
  });
}
