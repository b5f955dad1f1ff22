/**
 * The architecture's rules, checked with dependency-cruiser against .dependency-cruiser.cjs: no import
 * circle (type-only imports aside), imports pointing down the layers (engine, http ← nn, io, hub,
 * optim, plot, explore, distributed ← models, data ← learner ← vision, tabular ← onnx, serve ← cli),
 * a domain-free Learner, independent model families.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers.js';

const cli = () => join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

test('dependency-cruiser: every rule of .dependency-cruiser.cjs holds for src/', { timeout: 5 * 60_000 }, () => {
  const r = spawnSync(process.execPath, [cli(), 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const cruised = /(\d+) modules, (\d+) dependencies cruised/.exec(r.stdout);
  assert.ok(cruised !== null && Number(cruised[1]) > 150 && Number(cruised[2]) > 500, `the cruise resolved the imports: ${r.stdout}`);
});

test('dependency-cruiser catches a broken rule: a learner importing a model family, and a circle', { timeout: 5 * 60_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'owlet-arch-'));
  try {
    const file = (rel: string, text: string) => {
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      writeFileSync(join(tmp, rel), text);
    };
    copyFileSync(join(repoRoot, '.dependency-cruiser.cjs'), join(tmp, '.dependency-cruiser.cjs'));
    file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] }));
    file('src/models/resnet.ts', "import { loop } from '../learner/loop.js';\nexport const resnet = () => loop;\n");
    file('src/learner/loop.ts', "import { resnet } from '../models/resnet.js';\nexport const loop = () => resnet;\n");
    const r = spawnSync(process.execPath, [cli(), 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: tmp, encoding: 'utf8' });
    assert.notEqual(r.status, 0, r.stdout);
    for (const rule of ['no-circular', 'learner-imports-only-below', 'models-imports-only-below']) assert.match(r.stdout, new RegExp(`error ${rule}:`), r.stdout);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('no hand-written source file is over 410 lines (generated files aside)', () => {
  const long: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.generated.ts')) {
        const n = readFileSync(p, 'utf8').split('\n').length;
        if (n > 410) long.push(`${p.slice(repoRoot.length + 1)} (${n})`);
      }
    }
  };
  walk(join(repoRoot, 'src'));
  assert.deepEqual(long, []);
});
