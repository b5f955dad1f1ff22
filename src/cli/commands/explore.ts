/** `owlet explore`: serves the page where the lesson's quadratic and ReLUs are played with. */
import { Command, InvalidArgumentError } from 'commander';
import { startExplore } from '../../explore/index.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('the port must be an integer from 0 to 65535 (0: any free port)');
  return n;
}

export function exploreCommand(): Command {
  return new Command('explore')
    .description('play with the lesson in the browser: fit a quadratic with sliders and gradient descent, add up ReLUs')
    .option('-p, --port <port>', 'the port (0: any free port; default 8765, or a free one when 8765 is taken)', parsePort)
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .action(async (opts: { port?: number; host: string }) => {
      const server = await startExplore({ port: opts.port, host: opts.host }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') throw new Error(`port ${opts.port} is in use: choose another with --port, or --port 0 for any free one`);
        throw e;
      });
      console.log(`owlet explore: open ${server.url}  (Ctrl+C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
