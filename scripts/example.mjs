#!/usr/bin/env node
// `npm run example -- how-nets-work/quadratic`: runs a compiled example's main().
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, [join(root, 'bin', 'owlet.js'), 'example', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
