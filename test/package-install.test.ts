/**
 * owlet as a dependency, as a new user gets it: `npm pack`, then `npm install ./owlet-<v>.tgz` in an
 * empty project. The install step builds the native addons against the libtorch it finds (the
 * compiled JavaScript ships in the package), after which `import … from 'owlet'` and `npx owlet info`
 * work. Without a libtorch, the install stops with the message naming the three ways to give one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const app = join(tmp, 'app');

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 9 * 60_000, env: { ...process.env, ...env } });
}

test('npm pack, npm install in an empty project: import and npx owlet info work', { timeout: 10 * 60_000 }, () => {
  const pack = run('npm', ['pack', '--pack-destination', tmp, '--silent'], repoRoot);
  assert.equal(pack.status, 0, pack.stderr);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz !== undefined, `npm pack wrote no tarball: ${pack.stdout}`);

  run('mkdir', ['-p', app], tmp);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
  const inst = run('npm', ['install', join(tmp, tgz), '--no-audit', '--no-fund', '--prefer-offline'], app);
  assert.equal(inst.status, 0, `npm install failed:\n${inst.stdout}\n${inst.stderr}`);
  assert.ok(existsSync(join(app, 'node_modules', 'owlet', 'build', 'Release', 'owlet.node')), 'the install step built the addon');

  writeFileSync(join(app, 'main.js'), "import { tensor, createModel } from 'owlet';\nimport { isAvailable } from 'owlet/distributed';\nconsole.log(tensor([1, 2, 3]).mul(2).toString());\nconsole.log((await createModel('resnet20', { numClasses: 10 })).numClasses);\nconsole.log(typeof isAvailable());\n");
  const use = run(process.execPath, ['main.js'], app);
  assert.equal(use.status, 0, use.stderr);
  assert.equal(use.stdout, 'tensor([2, 4, 6])\n10\nboolean\n');

  const info = run('npx', ['--no-install', 'owlet', 'info'], app);
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^cpu {8}.+\d+ logical CPU/m);
  assert.match(info.stdout, /^isa {8}\w+/m);
  assert.match(info.stdout, /^libtorch {3}\d+\.\d+/m);
});

test('installed as a dependency without a libtorch: the install stops and names the three ways', { timeout: 2 * 60_000 }, () => {
  const pkg = join(app, 'node_modules', 'owlet');
  if (!existsSync(pkg)) assert.fail('the package install above did not run');
  const r = run(process.execPath, [join(pkg, 'scripts', 'setup.mjs'), '--install', '--force'], pkg, {
    LIBTORCH: '', LIBTORCH_USE_PYTORCH: '', OWLET_SYSTEM_LIB_DIRS: '/nonexistent',
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /owlet needs libtorch and found none/);
  assert.match(r.stderr, /1\. LIBTORCH=/);
  assert.match(r.stderr, /2\. LIBTORCH_USE_PYTORCH=1/);
  assert.match(r.stderr, /3\. a system install/);
  assert.doesNotMatch(r.stderr, /installing Debian's libtorch-dev/, 'a dependency install never runs apt-get');
});
