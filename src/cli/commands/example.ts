/** `owlet example [name]`: lists or runs the runnable examples in examples/. */
import { Command } from 'commander';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../engine/index.js';

/** The compiled examples, dist/examples in owlet's package folder. */
const examplesDir = join(packageRoot(), 'dist', 'examples');

export function listExamples(dir = examplesDir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listExamples(p));
    // a helper module of the examples (examples/titanic/features.ts) has no main(): not listed
    else if (e.name.endsWith('.js') && /\bfunction main\(/.test(readFileSync(p, 'utf8'))) out.push(relative(examplesDir, p).replace(/\.js$/, ''));
  }
  return out.sort();
}

export async function runExample(name: string, args: string[] = []): Promise<void> {
  const file = join(examplesDir, `${name.replace(/\.(ts|js)$/, '')}.js`);
  if (!existsSync(file)) {
    throw new Error(`no example '${name}'. The examples are:\n  ${listExamples().join('\n  ')}`);
  }
  const mod = (await import(pathToFileURL(file).href)) as { main?: (args: string[]) => unknown };
  if (typeof mod.main !== 'function') throw new Error(`example '${name}' has no main() to run`);
  await mod.main(args);
}

export function exampleCommand(): Command {
  return new Command('example')
    .description('run one of the examples (with no name: list them)')
    .argument('[name]', 'for example how-nets-work/quadratic')
    .argument('[args...]', 'what the example takes (titanic/from-scratch: [data folder] [submission.csv])')
    .action(async (name?: string, args: string[] = []) => {
      if (!name) {
        console.log(listExamples().join('\n'));
        return;
      }
      await runExample(name, args);
    });
}
