#!/usr/bin/env node
// owlet's command line. The TypeScript is compiled into dist/ by `npm run setup`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  console.error(`owlet is not built yet (${main} is missing): run \`npm run setup\` in ${join(dirname(main), '..', '..', '..')}`);
  process.exit(1);
}
const { run } = await import(main);
process.exitCode = await run(process.argv);
