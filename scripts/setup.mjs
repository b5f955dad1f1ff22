#!/usr/bin/env node
// owlet's set-up: installs what is missing and quickly skips what is there.
//   1. npm packages (when node_modules is missing or older than package.json)
//   2. libtorch, found in this order:
//        LIBTORCH (with LIBTORCH_INCLUDE / LIBTORCH_LIB overrides)
//        a Python PyTorch when LIBTORCH_USE_PYTORCH=1 (interpreter: LIBTORCH_PYTHON, default python3)
//        a system install (Debian: /usr/lib/<multiarch>/libtorch.so, headers under /usr/include)
//      and when none is found, on Debian or Ubuntu as root: `apt-get install libtorch-dev`.
//      libtorch is never downloaded.
//   3. the native addons (node-gyp): owlet.node on libtorch, and owlet_image.node on libjpeg-turbo
//      (apt-get install libjpeg62-turbo-dev when its headers are missing), rebuilt when their sources
//      or the libtorch found change; owlet.node speaks PyTorch's c10d (owlet/distributed) when Gloo's
//      headers are there (apt-get install libgloo-dev when allowed; otherwise built without it)
//   4. the TypeScript build (tsc), rebuilt when a .ts file is newer than the last build
//   5. with --main-deps (what `npm start` asks for): Fashion-MNIST from Debian, the main job's data;
//      with --test-deps (what `npm test` asks for): that, and what the tests use beyond owlet itself,
//      on Debian as root: Chromium for the browser tests, and Debian's PyTorch and torchvision, the
//      reference the golden tests compare with (tests that need them skip with a reason where missing)
// Flags: --quiet (print only what is done), --force (rebuild everything), --main-deps, --test-deps,
// --install (what npm's install step runs: npm is installing the packages itself, so step 1 is skipped).
//
// Installed as a dependency (this folder inside node_modules/): the compiled JavaScript ships in the
// package, so only the addons are built, with npm's own node-gyp, and nothing is installed with apt:
// a missing libtorch or JPEG library stops the install with what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const force = process.argv.includes('--force');
const installing = process.argv.includes('--install');
const asDependency = root.split(sep).includes('node_modules');
// apt-get runs only for owlet's own checkout, as root on Debian, unless OWLET_NO_APT=1
const aptAllowed = () => !asDependency && process.env.OWLET_NO_APT !== '1' && existsSync('/etc/debian_version') &&
  typeof process.getuid === 'function' && process.getuid() === 0;
const log = (msg) => {
  if (!quiet) console.error(`[setup] ${msg}`);
};
const act = (msg) => console.error(`[setup] ${msg}`);

function fail(msg) {
  console.error(`\n[setup] ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir, exts, skip = new Set(['node_modules', 'dist', 'build', '.git'])) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestIn(p, exts, skip));
    else if (exts.some((x) => e.name.endsWith(x))) newest = Math.max(newest, mtime(p));
  }
  return newest;
}

// One set-up at a time: two builds in the same folder at once break each other's files.
const lockDir = join(root, '.setup-lock');
function acquireLock() {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (Date.now() - mtime(lockDir) > 10 * 60_000) {
        rmSync(lockDir, { recursive: true, force: true }); // stale: its owner died
        continue;
      }
      if (Date.now() - started > 15 * 60_000) fail(`another set-up has held ${lockDir} for 15 minutes; remove it if none is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  process.on('exit', () => rmSync(lockDir, { recursive: true, force: true }));
}
acquireLock();

// ---------------------------------------------------------------------------------------------
// 1. npm packages
const stamp = join(root, 'node_modules', '.package-lock.json');
if (installing || asDependency) log('npm packages: installed by npm');
else if (force || !existsSync(stamp) || mtime(join(root, 'package.json')) > mtime(stamp)) {
  act('installing npm packages');
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts']);
} else log('npm packages: present');

// ---------------------------------------------------------------------------------------------
// 2. libtorch
function multiarch() {
  try {
    return execFileSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).trim() || 'x86_64-linux-gnu';
  } catch {
    return `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
  }
}

function withApiInclude(inc) {
  const api = join(inc, 'torch', 'csrc', 'api', 'include');
  return existsSync(api) ? [inc, api] : [inc];
}

function fromLibtorchEnv() {
  const base = process.env.LIBTORCH;
  if (!base) return null;
  const include = process.env.LIBTORCH_INCLUDE ?? join(base, 'include');
  const lib = process.env.LIBTORCH_LIB ?? join(base, 'lib');
  if (!existsSync(join(lib, 'libtorch.so')) && !existsSync(join(lib, 'libtorch_cpu.so')))
    fail(`LIBTORCH is set to ${base}, but ${lib} holds no libtorch.so. Point LIBTORCH (or LIBTORCH_LIB) at an unpacked libtorch.`);
  // The ABI: libtorch's cxx11-abi builds mark it in build-version or in their file names; default new ABI.
  const abi = process.env.LIBTORCH_CXX11_ABI ?? (base.includes('pre-cxx11') ? '0' : '1');
  return { how: `LIBTORCH=${base}`, include: withApiInclude(include), lib, abi };
}

function fromPython() {
  if (process.env.LIBTORCH_USE_PYTORCH !== '1') return null;
  const py = process.env.LIBTORCH_PYTHON ?? 'python3';
  const code =
    'import json, torch, torch.utils.cpp_extension as c;' +
    'print(json.dumps({"include": c.include_paths(), "lib": c.library_paths()[0], "abi": int(torch._C._GLIBCXX_USE_CXX11_ABI), "version": torch.__version__}))';
  let out;
  try {
    out = execFileSync(py, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    fail(`LIBTORCH_USE_PYTORCH=1, but '${py} -c "import torch"' failed: ${String(e.stderr ?? e.message).trim().split('\n').pop()}\n` +
      'Install PyTorch for that interpreter, or choose another with LIBTORCH_PYTHON=/path/to/python.');
  }
  const info = JSON.parse(out);
  return { how: `PyTorch ${info.version} from ${py}`, include: info.include, lib: info.lib, abi: String(info.abi) };
}

function fromSystem() {
  // OWLET_SYSTEM_LIB_DIRS replaces the searched folders (the tests use it to see the not-found path).
  const dirs = process.env.OWLET_SYSTEM_LIB_DIRS?.split(':') ?? [join('/usr/lib', multiarch()), '/usr/lib', '/usr/local/lib'];
  for (const lib of dirs) {
    if (!existsSync(join(lib, 'libtorch.so'))) continue;
    const inc = lib.startsWith('/usr/local') ? '/usr/local/include' : '/usr/include';
    if (!existsSync(join(inc, 'ATen', 'ATen.h'))) continue;
    return { how: `system libtorch in ${lib}`, include: withApiInclude(inc), lib, abi: '1' };
  }
  return null;
}

function findLibtorch() {
  const found = fromLibtorchEnv() ?? fromPython() ?? fromSystem();
  if (found) return found;
  if (aptAllowed()) {
    act('no libtorch found: installing Debian\'s libtorch-dev with apt (once)');
    run('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'libtorch-dev'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const after = fromSystem();
    if (after) return after;
  }
  fail(
    'owlet needs libtorch and found none. Give it one of these three ways:\n' +
      '  1. LIBTORCH=/path/to/libtorch (an unpacked libtorch with include/ and lib/; LIBTORCH_INCLUDE and LIBTORCH_LIB override the two)\n' +
      '  2. LIBTORCH_USE_PYTORCH=1 to use the PyTorch installed for python3 (LIBTORCH_PYTHON picks the interpreter; a CUDA build gives GPU tensors)\n' +
      '  3. a system install: on Debian or Ubuntu, `sudo apt-get install libtorch-dev`',
  );
}

const torch = findLibtorch();
log(`libtorch: ${torch.how}`);

// Debian's libtorch takes its fp32 matrix products from whatever libblas.so.3 the system selects; the
// reference BLAS it falls back on runs them 15-60x slower than OpenBLAS (5 against 90-300 GFLOP/s here).
if (torch.how.startsWith('system') && existsSync('/etc/debian_version')) {
  const openblas = join('/usr/lib', multiarch(), 'openblas-pthread', 'libblas.so.3');
  if (existsSync(openblas)) log('BLAS: OpenBLAS');
  else if (aptAllowed()) {
    act('installing OpenBLAS (libopenblas0-pthread) for fast fp32 matrix products');
    run('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'libopenblas0-pthread'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else act('note: no OpenBLAS found; fp32 matrix products use the reference BLAS (slow). Install libopenblas0-pthread.');
}

// ---------------------------------------------------------------------------------------------
// 3. the native addons: owlet.node (libtorch) and owlet_image.node (JPEG decoding with libjpeg-turbo)
installMissing('the JPEG library\'s headers (libjpeg-turbo)', [['/usr/include/jpeglib.h', 'libjpeg62-turbo-dev']], { required: true });
// Gloo's headers, for owlet/distributed (PyTorch's c10d); without them the addon builds without it and initProcessGroup says what to install
installMissing('Gloo\'s headers (distributed training)', [['/usr/include/gloo/config.h', 'libgloo-dev']]);
const gloo = existsSync('/usr/include/gloo/config.h') ? '1' : '0';
const addon = join(root, 'build', 'Release', 'owlet.node');
const configFile = join(root, 'build', 'owlet-libtorch.json');
const config = JSON.stringify({ include: torch.include, lib: torch.lib, abi: torch.abi, ...(gloo === '1' ? { gloo: true } : {}) });
const nativeSources = Math.max(newestIn(join(root, 'native'), ['.cc', '.h']), mtime(join(root, 'binding.gyp')));
const configChanged = !existsSync(configFile) || readFileSync(configFile, 'utf8') !== config;
const imageAddon = join(root, 'build', 'Release', 'owlet_image.node');
if (force || !existsSync(addon) || !existsSync(imageAddon) || Math.min(mtime(addon), mtime(imageAddon)) < nativeSources || configChanged) {
  act(`building the native addon against ${torch.how}`);
  const gyp = nodeGyp();
  const args = [gyp, 'rebuild'];
  if (existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
  run(process.execPath, args, {
    env: {
      ...process.env,
      OWLET_TORCH_INCLUDE: torch.include.join(':'),
      OWLET_TORCH_LIB: torch.lib,
      OWLET_CXX11_ABI: torch.abi,
      OWLET_GLOO: gloo,
    },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(configFile, config);
} else log('native addon: up to date');

// ---------------------------------------------------------------------------------------------
// 4. TypeScript
const tsStamp = join(root, 'dist', '.build-stamp');
const tsNewest = Math.max(newestIn(root, ['.ts']), mtime(join(root, 'tsconfig.json')));
if (asDependency) {
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) fail(`${join(root, 'dist', 'src')} is missing: this owlet package was packed without its compiled JavaScript (pack it with \`npm pack\`, whose prepack step compiles it)`);
  log('TypeScript: compiled in the package');
} else if (force || mtime(tsStamp) < tsNewest) {
  act('compiling TypeScript');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(tsStamp, new Date().toISOString());
} else log('TypeScript: up to date');

// ---------------------------------------------------------------------------------------------
// 5. Debian packages for the main job (--main-deps, what `npm start` asks for: Fashion-MNIST) and
// for the tests (--test-deps: the main job's data too, Chromium, fonts, Debian's PyTorch)
const FASHION_MNIST = ['/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz', 'dataset-fashion-mnist'];

/** node-gyp: npm's own (npm_config_node_gyp, set for install scripts), else the project's devDependency. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp, join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  const found = candidates.find((p) => p !== undefined && p !== '' && existsSync(p));
  if (found === undefined) fail('node-gyp is needed to build owlet\'s native addons and was not found: run this from `npm install` (npm brings node-gyp), or `npm install -g node-gyp`');
  return found;
}

function installMissing(what, wanted, options = {}) {
  const missing = wanted.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (missing.length === 0) log(`${what}: present`);
  else if (options.required && !aptAllowed()) fail(`${what} missing: install ${missing.join(' ')} (Debian/Ubuntu: \`sudo apt-get install ${missing.join(' ')}\`), then install owlet again`);
  else if (aptAllowed()) {
    act(`installing ${what} with apt: ${missing.join(' ')}`);
    run('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else act(`${what} missing (${missing.join(', ')}): install ${missing.length > 1 ? 'them' : 'it'} with apt-get as root; what needs ${missing.length > 1 ? 'them' : 'it'} will say so`);
}

if (process.argv.includes('--test-deps')) {
  installMissing('test dependencies', [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'fonts-dejavu-core'],
    ['/usr/lib/python3/dist-packages/torch/__init__.py', 'python3-torch'],
    ['/usr/lib/python3/dist-packages/torchvision/__init__.py', 'python3-torchvision'],
    ['/usr/include/gloo/config.h', 'libgloo-dev'],
    ['/usr/lib/python3/dist-packages/pandas/__init__.py', 'python3-pandas'],
    FASHION_MNIST,
  ]);
} else if (process.argv.includes('--main-deps')) {
  installMissing('the main job\'s data (Fashion-MNIST)', [FASHION_MNIST]);
}
