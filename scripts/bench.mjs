#!/usr/bin/env node
// `npm run bench -- <name>`: runs the compiled benchmark dist/bench/<name>.js (source bench/<name>.ts).
// With no name it lists the benchmarks; extra arguments go on to the benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const names = existsSync(join(root, 'bench'))
  ? readdirSync(join(root, 'bench'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => f.slice(0, -3))
      .sort()
  : [];
const list = names.map((n) => `  ${n}`).join('\n') || '  (none)';

const [name, ...rest] = process.argv.slice(2);
if (!name) {
  console.log(`usage: npm run bench -- <name>\n\nbenchmarks (bench/*.ts):\n${list}`);
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`unknown benchmark '${name}'. Available (bench/*.ts):\n${list}`);
  process.exit(1);
}
const file = join(root, 'dist', 'bench', `${name}.js`);
if (!existsSync(file)) {
  console.error(`${file} is missing: build first with \`npm run build\` (npm run bench does so itself).`);
  process.exit(1);
}
const r = spawnSync(process.execPath, [file, ...rest], { stdio: 'inherit', cwd: root });
if (r.error) console.error(`could not run ${file}: ${r.error.message}`);
if (r.signal) console.error(`benchmark '${name}' was killed by ${r.signal}`);
process.exit(r.status ?? 1);
