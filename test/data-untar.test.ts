// untarData and downloads against a local HTTP server on 127.0.0.1 (never another address): the
// fastai layout, progress, resume, checksums, and archives that try to write outside their folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  untarData, downloadUrl, extractTarball, DownloadError, ArchiveError, URLs, downloadChecks, fastaiPath, fastaiHome,
  archiveStem, pathStats,
} from '../src/data/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-untar-'));

/** A tar entry for the hand-made archives. */
interface Entry { name: string; type?: '0' | '2' | '1' | '5' | '3'; data?: string; link?: string }

function tarball(entries: Entry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    const data = Buffer.from(e.data ?? '');
    h.write(e.name, 0, 100, 'utf8');
    h.write(e.type === '5' ? '0000755\0' : '0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    h.write('14000000000\0', 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write(e.type ?? '0', 156, 'latin1');
    if (e.link) h.write(e.link, 157, 100, 'utf8');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

// The good archive: like Pets, one top-level folder; big enough to take several chunks.
const big = randomBytes(300_000).toString('base64'); // incompressible: the .tgz takes many chunks
const PETS_TGZ = tarball([
  { name: 'oxford-iiit-pet/', type: '5' },
  { name: 'oxford-iiit-pet/images/', type: '5' },
  { name: 'oxford-iiit-pet/images/Abyssinian_1.jpg', data: 'cat' },
  { name: 'oxford-iiit-pet/images/great_pyrenees_1.jpg', data: 'dog' },
  { name: 'oxford-iiit-pet/annotations/big.txt', data: big },
  { name: 'oxford-iiit-pet/images/link.jpg', type: '2', link: 'Abyssinian_1.jpg' },
]);
const EVIL: Record<string, Entry[]> = {
  'dotdot.tgz': [{ name: 'ok.txt', data: 'fine' }, { name: 'sub/../../escaped.txt', data: 'evil' }],
  'absolute.tgz': [{ name: '/tmp/owlet-absolute-evil.txt', data: 'evil' }],
  'symlink-out.tgz': [{ name: 'etc', type: '2', link: '/etc' }],
  'symlink-up.tgz': [{ name: 'a/up', type: '2', link: '../../..' }],
  'through-link.tgz': [{ name: 'dir', type: '2', link: '.' }, { name: 'dir/file.txt', data: 'evil' }],
  'hardlink-out.tgz': [{ name: 'h', type: '1', link: '../outside.txt' }],
  'device.tgz': [{ name: 'dev', type: '3' }],
};

let server: http.Server;
let base = '';
const log: { url: string; range?: string }[] = [];
let flakyCalls = 0;

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  log.push({ url, range: req.headers.range });
  let body: Buffer | undefined;
  if (url === '/fast-ai-imageclas/oxford-iiit-pet.tgz' || url === '/flaky/oxford-iiit-pet.tgz' || url === '/redirected/oxford-iiit-pet.tgz') body = PETS_TGZ;
  else if (url.startsWith('/evil/')) {
    const e = EVIL[url.slice(6)];
    if (e) body = tarball(e);
  } else if (url === '/moved/oxford-iiit-pet.tgz') {
    res.writeHead(302, { location: '/redirected/oxford-iiit-pet.tgz' });
    res.end();
    return;
  }
  if (!body) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  let start = 0;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m) start = Number(m[1]);
  if (start >= body.length) {
    res.writeHead(416, { 'content-range': `bytes */${body.length}` });
    res.end();
    return;
  }
  const headers: http.OutgoingHttpHeaders = { 'content-length': body.length - start, 'content-type': 'application/gzip' };
  if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  res.writeHead(m ? 206 : 200, headers);
  if (url.startsWith('/flaky/') && flakyCalls++ === 0) {
    // send a third, then close the connection (the client sees a body cut short)
    res.write(body.subarray(start, start + Math.floor(body.length / 3)), () => res.socket?.end());
    return;
  }
  res.end(body.subarray(start));
}

before(async () => {
  server = http.createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const quiet = { quiet: true, retryDelayMs: 10 };

test("URLs is fastai's catalogue, with fastai's checks", () => {
  assert.equal(URLs.PETS, 'https://s3.amazonaws.com/fast-ai-imageclas/oxford-iiit-pet.tgz');
  assert.equal(URLs.MNIST_SAMPLE, 'https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz');
  assert.equal(URLs.IMAGENETTE_160, 'https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz');
  assert.deepEqual(downloadChecks[URLs.PETS], [811706944, 'e4db5c768afd933bb91f5f594d7417a4']);
  assert.equal(archiveStem(URLs.PETS), 'oxford-iiit-pet');
  assert.equal(archiveStem('x/imagenette2-160.tar.gz'), 'imagenette2-160');
});

test('FASTAI_HOME and config.ini decide the folders, as fastai', () => {
  const saved = process.env.FASTAI_HOME;
  try {
    process.env.FASTAI_HOME = join(tmp, 'home');
    assert.equal(fastaiHome(), join(tmp, 'home'));
    assert.equal(fastaiPath('data'), join(tmp, 'home', 'data'));
    assert.equal(fastaiPath('archive'), join(tmp, 'home', 'archive'));
    mkdirSync(join(tmp, 'home'), { recursive: true });
    writeFileSync(join(tmp, 'home', 'config.ini'), `[DEFAULT]\ndata = ${join(tmp, 'elsewhere')}\narchive = arch\n`);
    assert.equal(fastaiPath('data'), join(tmp, 'elsewhere'));
    assert.equal(fastaiPath('archive'), join(tmp, 'home', 'arch'));
    delete process.env.FASTAI_HOME;
    assert.match(fastaiHome(), /\.fastai$/);
  } finally {
    if (saved === undefined) delete process.env.FASTAI_HOME;
    else process.env.FASTAI_HOME = saved;
  }
});

test('untarData: downloads into archive/, extracts to data/<name> (the single top folder), then uses the cache', async () => {
  const home = join(tmp, 'h1');
  const url = `${base}/fast-ai-imageclas/oxford-iiit-pet.tgz`;
  const lines: string[] = [];
  const out = { write: (s: string) => lines.push(s), isTTY: true, columns: 100 };
  const path = await untarData(url, { base: home, progressOutput: out });
  assert.equal(path, join(home, 'data', 'oxford-iiit-pet'));
  assert.equal(readFileSync(join(path, 'images', 'Abyssinian_1.jpg'), 'utf8'), 'cat');
  assert.equal(readFileSync(join(path, 'images', 'link.jpg'), 'utf8'), 'cat');
  assert.ok(existsSync(join(path, 'annotations', 'big.txt')));
  assert.deepEqual(readFileSync(join(home, 'archive', 'oxford-iiit-pet.tgz')), PETS_TGZ);
  assert.deepEqual(readdirSync(join(home, 'data')), ['oxford-iiit-pet'], 'no temporary folder left');
  assert.ok(lines.join('').includes('100%'), 'a progress bar ran to 100%');
  const before = log.length;
  assert.equal(await untarData(url, { base: home, ...quiet }), path);
  assert.equal(log.length, before, 'a second call makes no request');
  // forceDownload fetches and extracts again
  await untarData(url, { base: home, ...quiet, forceDownload: true });
  assert.equal(log.length, before + 1);
});

test('untarData follows redirects and honours FASTAI_HOME', async () => {
  const saved = process.env.FASTAI_HOME;
  process.env.FASTAI_HOME = join(tmp, 'h-env');
  try {
    const p = await untarData(`${base}/moved/oxford-iiit-pet.tgz`, quiet);
    assert.equal(p, join(tmp, 'h-env', 'data', 'oxford-iiit-pet'));
  } finally {
    if (saved === undefined) delete process.env.FASTAI_HOME;
    else process.env.FASTAI_HOME = saved;
  }
});

test('a download cut in the middle resumes with a Range request', async () => {
  flakyCalls = 0;
  const from = log.length;
  const dest = join(tmp, 'resume', 'pets.tgz');
  await downloadUrl(`${base}/flaky/oxford-iiit-pet.tgz`, dest, quiet);
  assert.deepEqual(readFileSync(dest), PETS_TGZ);
  const reqs = log.slice(from);
  assert.equal(reqs.length, 2);
  assert.equal(reqs[0]!.range, undefined);
  assert.match(reqs[1]!.range ?? '', /^bytes=\d+-$/);
  assert.ok(Number(/\d+/.exec(reqs[1]!.range!)![0]) > 0);
});

test('a partial file from an earlier run is resumed, not fetched again', async () => {
  const dest = join(tmp, 'resume2', 'pets.tgz');
  mkdirSync(join(tmp, 'resume2'));
  writeFileSync(`${dest}.part`, PETS_TGZ.subarray(0, 1000));
  const from = log.length;
  await downloadUrl(`${base}/fast-ai-imageclas/oxford-iiit-pet.tgz`, dest, quiet);
  assert.deepEqual(readFileSync(dest), PETS_TGZ);
  assert.equal(log[from]!.range, 'bytes=1000-');
  assert.ok(!existsSync(`${dest}.part`));
  // and a complete .part left before the rename: the server's 416 says it is whole
  writeFileSync(`${dest}2.part`, PETS_TGZ);
  await downloadUrl(`${base}/fast-ai-imageclas/oxford-iiit-pet.tgz`, `${dest}2`, quiet);
  assert.deepEqual(readFileSync(`${dest}2`), PETS_TGZ);
});

test('checksums: fastai\'s [size, md5 of the first MiB] and sha256; a mismatch deletes the file and says why', async () => {
  const url = `${base}/fast-ai-imageclas/oxford-iiit-pet.tgz`;
  const md5 = createHash('md5').update(PETS_TGZ.subarray(0, 2 ** 20)).digest('hex');
  const sha = createHash('sha256').update(PETS_TGZ).digest('hex');
  const ok = await untarData(url, { base: join(tmp, 'h2'), ...quiet, checks: { fastai: [PETS_TGZ.length, md5], sha256: sha } });
  assert.ok(existsSync(ok));
  assert.deepEqual(pathStats(join(tmp, 'h2', 'archive', 'oxford-iiit-pet.tgz')), [PETS_TGZ.length, md5]);
  const home = join(tmp, 'h3');
  await assert.rejects(untarData(url, { base: home, ...quiet, checks: { fastai: [PETS_TGZ.length, '0'.repeat(32)] } }), (e: unknown) => {
    assert.ok(e instanceof DownloadError);
    assert.equal(e.kind, 'checksum');
    assert.match(e.message, /md5/);
    return true;
  });
  assert.ok(!existsSync(join(home, 'archive', 'oxford-iiit-pet.tgz')));
  assert.ok(!existsSync(join(home, 'archive', 'oxford-iiit-pet.tgz.part')));
  assert.ok(!existsSync(join(home, 'data', 'oxford-iiit-pet')));
  await assert.rejects(downloadUrl(url, join(tmp, 'h4', 'x.tgz'), { ...quiet, checks: { sha256: 'ab'.repeat(32) } }), /sha256/);
  await assert.rejects(downloadUrl(url, join(tmp, 'h4', 'y.tgz'), { ...quiet, checks: { fastai: [12, md5] } }), /size/);
  // an archive already there that fails its check is fetched again
  const h5 = join(tmp, 'h5');
  mkdirSync(join(h5, 'archive'), { recursive: true });
  writeFileSync(join(h5, 'archive', 'oxford-iiit-pet.tgz'), 'stale');
  await untarData(url, { base: h5, ...quiet, checks: { fastai: [PETS_TGZ.length, md5] } });
  assert.deepEqual(readFileSync(join(h5, 'archive', 'oxford-iiit-pet.tgz')), PETS_TGZ);
});

test('HTTP errors: 404 is a DownloadError naming the status; an unreachable server gives up after the retries', async () => {
  await assert.rejects(downloadUrl(`${base}/nothing.tgz`, join(tmp, 'e', 'n.tgz'), quiet), (e: unknown) => {
    assert.ok(e instanceof DownloadError);
    assert.equal(e.status, 404);
    return true;
  });
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(downloadUrl(`http://127.0.0.1:${port}/x.tgz`, join(tmp, 'e', 'x.tgz'), { ...quiet, retries: 1 }), /ECONNREFUSED.*after 1 retries/);
});

test('archives with entries escaping the target are refused whole, naming the entry, and write nothing', async () => {
  for (const [name, entries] of Object.entries(EVIL)) {
    const home = join(tmp, `evil-${name}`);
    await assert.rejects(untarData(`${base}/evil/${name}`, { base: home, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof ArchiveError, `${name}: ${e}`);
      assert.ok(e.message.includes(`'${entries[entries.length - 1]!.name}'`) || e.message.includes(entries[0]!.name), `${name}: ${e.message}`);
      return true;
    }, name);
    assert.ok(!existsSync(join(home, 'data', archiveStem(name))), `${name}: nothing extracted`);
    assert.deepEqual(existsSync(join(home, 'data')) ? readdirSync(join(home, 'data')) : [], [], `${name}: nothing left behind`);
  }
  assert.ok(!existsSync(join(tmp, 'escaped.txt')));
  assert.ok(!existsSync('/tmp/owlet-absolute-evil.txt'));
  // extractTarball directly, on a file
  const f = join(tmp, 'dotdot.tgz');
  writeFileSync(f, tarball(EVIL['dotdot.tgz']!));
  await assert.rejects(extractTarball(f, join(tmp, 'direct')), /'sub\/\.\.\/\.\.\/escaped\.txt' has a '\.\.' in its path/);
  await assert.rejects(extractTarball(join(tmp, 'x.zip'), join(tmp, 'z')), /not zip/);
});
