#!/usr/bin/env node
// Runs every compiled test (dist/test/**/*.test.js) with node's test runner, after printing the machine
// profile; extra arguments filter the files by name (`npm test -- format`), matched against the path
// below dist/test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : [],
  );
}
const filters = process.argv.slice(2);
const testDir = join(root, 'dist', 'test');
const files = find(testDir).filter((f) => filters.length === 0 || filters.some((x) => f.slice(testDir.length).includes(x)));
if (files.length === 0) {
  console.error('no test files found under dist/test');
  process.exit(1);
}
// The machine profile first: which CPU class (and caps) the figures and thresholds below met.
const info = spawnSync(process.execPath, [join(root, 'bin', 'owlet.js'), 'info'], { encoding: 'utf8', cwd: root });
console.log(`# machine profile (owlet info):\n${(info.stdout || info.stderr).trim().split('\n').map((l) => `#   ${l}`).join('\n')}`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
