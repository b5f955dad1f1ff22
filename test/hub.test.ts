// Hub downloads against a local stand-in for huggingface.co (127.0.0.1 only): a "hub" server that
// answers resolve URLs as the real one does (X-Repo-Commit, ETag / X-Linked-Etag, X-Linked-Size,
// a redirect of LFS files to a CDN) and a "CDN" server on another port that serves the bytes with
// Range support, and can cut a connection half-way or announce a wrong hash.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../src/index.js';
import { hfHubDownload, HubDownloadError, hubCacheDir, hubUrl, repoFolderName, tryLoadFromCache } from '../src/hub/index.js';
import { loadSafetensorsFile, serializeSafetensors } from '../src/io/index.js';

const REPO = 'test-org/tiny-model';
const COMMIT = createHash('sha1').update('the one commit').digest('hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

interface RepoFile {
  body: Buffer;
  lfs: boolean;
  /** The hash the hub announces (wrong on purpose for bad.bin). */
  etag: string;
}

const weights = serializeSafetensors({ 'fc.weight': tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }) }, { format: 'pt' });
const big = randomBytes(1 << 20);
const files = new Map<string, RepoFile>();
function lfs(name: string, body: Buffer, etag = sha256(body)) {
  files.set(name, { body, lfs: true, etag });
}
function git(name: string, body: Buffer) {
  files.set(name, { body, lfs: false, etag: gitSha1(body) });
}
lfs('model.safetensors', weights);
lfs('cut.bin', big);
lfs('bad.bin', randomBytes(4096), sha256(Buffer.from('something else')));
git('config.json', Buffer.from('{"architecture": "tiny"}\n'));
git('sub/dir/notes.txt', Buffer.from('nested file\n'));

interface Seen {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  auth?: string;
}
let seen: Seen[] = [];
/** How many CDN downloads of cut.bin to cut half-way. */
let cutsLeft = 0;
let hub: Server;
let cdn: Server;
let hubUrlBase = '';
let cdnUrlBase = '';

function hubHandler(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, hubUrlBase);
  seen.push({ server: 'hub', method: req.method!, path: url.pathname, auth: req.headers.authorization });
  const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
  const fail = (status: number, code: string) => {
    res.writeHead(status, { 'X-Error-Code': code, 'X-Error-Message': `${code} (test server)` });
    res.end();
  };
  if (!m) return fail(404, 'RepoNotFound');
  const [repo, revision, file] = [m[1]!, decodeURIComponent(m[2]!), m[3]!.split('/').map(decodeURIComponent).join('/')];
  if (repo === 'test-org/old-name') {
    // A renamed repository: a relative redirect, which the HEAD request follows.
    res.writeHead(307, { Location: `/${REPO}/resolve/${m[2]}/${m[3]}` });
    return res.end();
  }
  if (repo !== REPO) return fail(401, 'RepoNotFound');
  if (revision !== 'main' && revision !== COMMIT) return fail(404, 'RevisionNotFound');
  const f = files.get(file);
  if (!f) return fail(404, 'EntryNotFound');
  if (f.lfs) {
    res.writeHead(302, {
      Location: `${cdnUrlBase}/lfs/${sha256(f.body)}?name=${encodeURIComponent(file)}`,
      'X-Repo-Commit': COMMIT,
      'X-Linked-Etag': `"${f.etag}"`,
      'X-Linked-Size': String(f.body.length),
      ETag: `"${gitSha1(Buffer.from(`pointer of ${file}`))}"`,
      'Content-Length': '0',
    });
    return res.end();
  }
  res.writeHead(200, { 'X-Repo-Commit': COMMIT, ETag: `"${f.etag}"`, 'Content-Length': String(f.body.length) });
  res.end(req.method === 'HEAD' ? undefined : f.body);
}

function cdnHandler(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, cdnUrlBase);
  seen.push({ server: 'cdn', method: req.method!, path: url.pathname, range: req.headers.range, auth: req.headers.authorization });
  const name = url.searchParams.get('name') ?? '';
  const f = files.get(name);
  if (!f || url.pathname !== `/lfs/${sha256(f.body)}`) {
    res.writeHead(404);
    return res.end();
  }
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range) {
    start = Number(range[1]);
    if (start >= f.body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${f.body.length}` });
      return res.end();
    }
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${f.body.length - 1}/${f.body.length}`, 'Content-Length': String(f.body.length - start) });
  } else {
    res.writeHead(200, { 'Content-Length': String(f.body.length), ETag: `"${sha256(f.body)}"` });
  }
  if (req.method === 'HEAD') return res.end();
  const rest = f.body.subarray(start);
  if (name === 'cut.bin' && cutsLeft > 0) {
    cutsLeft--;
    // Half the bytes, then the connection drops.
    res.write(rest.subarray(0, rest.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  res.end(rest);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer(handler);
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  hub = await listen(hubHandler);
  cdn = await listen(cdnHandler);
  hubUrlBase = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  cdnUrlBase = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
});

after(() => {
  for (const s of [hub, cdn]) {
    s.closeAllConnections();
    s.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Environment: each test sets what it needs and gets the rest back afterwards.

const HF_VARS = ['HF_ENDPOINT', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_HOME', 'XDG_CACHE_HOME', 'HF_HUB_OFFLINE', 'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_DISABLE_PROGRESS_BARS', 'HF_HUB_DOWNLOAD_TIMEOUT'];

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = new Map(HF_VARS.map((k) => [k, process.env[k]]));
  for (const k of HF_VARS) delete process.env[k];
  // Never a token from the machine running the tests.
  process.env.HF_TOKEN_PATH = join(tmpdir(), 'owlet-no-such-token-file');
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'owlet-hub-'));
  temps.push(d);
  return d;
}
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
  cutsLeft = 0;
});

const online = (cache: string, more: Record<string, string | undefined> = {}) => ({ HF_ENDPOINT: hubUrlBase, HF_HUB_CACHE: cache, ...more });
const repoDir = (cache: string, repo = REPO) => join(cache, repoFolderName(repo));

async function rejects(p: Promise<unknown>, check: (e: HubDownloadError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof HubDownloadError, `expected a HubDownloadError, got ${String(e)}`);
    check(e);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------

test('downloads into the cache layout of huggingface_hub', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const path = await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true });
    const dir = repoDir(cache);
    const sha = sha256(weights);
    assert.equal(path, join(dir, 'snapshots', COMMIT, 'model.safetensors'));
    assert.ok(lstatSync(path).isSymbolicLink());
    assert.equal(readlinkSync(path), `../../blobs/${sha}`);
    assert.ok(readFileSync(join(dir, 'blobs', sha)).equals(weights));
    assert.equal(readFileSync(join(dir, 'refs', 'main'), 'utf8'), COMMIT);
    assert.deepEqual(readdirSync(join(dir, 'blobs')), [sha]);
    // HEAD at the hub (the redirect to the CDN is not followed), then GET at the CDN.
    assert.deepEqual(seen.map((s) => `${s.server} ${s.method}`), ['hub HEAD', 'cdn GET']);
    assert.equal(seen[1]!.path, `/lfs/${sha}`);
    // And it is a safetensors file owlet reads.
    assert.deepEqual(loadSafetensorsFile(path).get('fc.weight')!.toArray(), [[1, 2, 3], [4, 5, 6]]);
  });
});

test('a second call is served from the cache without a request', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const first = await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true });
    seen = [];
    assert.equal(await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true }), first);
    assert.equal(await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', revision: COMMIT, quiet: true }), first);
    assert.deepEqual(seen, []);
    assert.equal(tryLoadFromCache({ repoId: REPO, filename: 'model.safetensors' }), first);
    assert.equal(tryLoadFromCache({ repoId: REPO, filename: 'config.json' }), null);
  });
});

test('small files: git etags are checked as git blob ids, nested names link back to blobs/', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const path = await hfHubDownload({ repoId: REPO, filename: 'sub/dir/notes.txt', quiet: true });
    const etag = gitSha1(files.get('sub/dir/notes.txt')!.body);
    assert.equal(path, join(repoDir(cache), 'snapshots', COMMIT, 'sub', 'dir', 'notes.txt'));
    assert.equal(readlinkSync(path), `../../../../blobs/${etag}`);
    assert.equal(readFileSync(path, 'utf8'), 'nested file\n');
    assert.deepEqual(seen.map((s) => `${s.server} ${s.method}`), ['hub HEAD', 'hub GET']);
  });
});

test("reuses a cache that Python's huggingface_hub filled", async () => {
  const cache = tempDir();
  // The layout huggingface_hub leaves behind, made by hand.
  const dir = repoDir(cache);
  const body = files.get('config.json')!.body;
  mkdirSync(join(dir, 'blobs'), { recursive: true });
  mkdirSync(join(dir, 'refs'));
  mkdirSync(join(dir, 'snapshots', COMMIT), { recursive: true });
  writeFileSync(join(dir, 'blobs', gitSha1(body)), body);
  writeFileSync(join(dir, 'refs', 'main'), COMMIT);
  symlinkSync(`../../blobs/${gitSha1(body)}`, join(dir, 'snapshots', COMMIT, 'config.json'));
  await withEnv(online(cache), async () => {
    const path = await hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true });
    assert.equal(path, join(dir, 'snapshots', COMMIT, 'config.json'));
    assert.deepEqual(seen, []);
  });
  // A blob already there (another snapshot pointed at it) is linked, not downloaded again.
  const other = tempDir();
  await withEnv(online(other), async () => {
    await hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true });
    rmSync(join(repoDir(other), 'snapshots'), { recursive: true });
    seen = [];
    const path = await hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true });
    assert.equal(readFileSync(path, 'utf8'), body.toString());
    assert.deepEqual(seen.map((s) => `${s.server} ${s.method}`), ['hub HEAD']);
  });
});

test('offline mode uses only the cache, and says where to put a missing file', async () => {
  const cache = tempDir();
  await withEnv(online(cache), () => hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true }));
  seen = [];
  await withEnv(online(cache, { HF_HUB_OFFLINE: '1' }), async () => {
    assert.equal(await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true }), join(repoDir(cache), 'snapshots', COMMIT, 'model.safetensors'));
    await rejects(hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true }), (e) => {
      assert.equal(e.kind, 'offline');
      const where = join(repoDir(cache), 'snapshots', COMMIT, 'config.json');
      assert.equal(e.details.manualPath, where);
      assert.match(e.message, /config\.json of test-org\/tiny-model is not in the local cache/);
      assert.match(e.message, /HF_HUB_OFFLINE=1/);
      assert.ok(e.message.includes(`${hubUrlBase}/${REPO}/resolve/main/config.json`), 'names the URL');
      assert.ok(e.message.includes(`cache folder: ${repoDir(cache)}`), 'names the cache folder');
      assert.ok(e.message.includes(where), 'names the exact place for the file');
    });
  });
  assert.deepEqual(seen, [], 'no request in offline mode');

  // An empty cache: the message says how to make a snapshot by hand, and following it works.
  const empty = tempDir();
  await withEnv(online(empty, { HF_HUB_OFFLINE: 'true' }), async () => {
    let placeAt = '';
    await rejects(hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true }), (e) => {
      placeAt = e.details.manualPath!;
      assert.equal(placeAt, join(repoDir(empty), 'snapshots', 'manual', 'config.json'));
      assert.ok(e.message.includes(`printf manual > "${join(repoDir(empty), 'refs', 'main')}"`));
    });
    mkdirSync(join(repoDir(empty), 'snapshots', 'manual'), { recursive: true });
    mkdirSync(join(repoDir(empty), 'refs'));
    writeFileSync(placeAt, '{"by": "hand"}');
    writeFileSync(join(repoDir(empty), 'refs', 'main'), 'manual');
    assert.equal(await hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true }), placeAt);
  });
  assert.deepEqual(seen, []);
});

test('a broken download resumes from blobs/<etag>.incomplete with a Range request', async () => {
  const cache = tempDir();
  const sha = sha256(big);
  const incomplete = join(repoDir(cache), 'blobs', `${sha}.incomplete`);
  await withEnv(online(cache), async () => {
    cutsLeft = 1;
    await rejects(hfHubDownload({ repoId: REPO, filename: 'cut.bin', quiet: true, retries: 0 }), (e) => {
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, /connection .* broke|closed after/);
      assert.ok(e.message.includes(`${sha}.incomplete`), 'says where the partial file is');
    });
    const partial = statSync(incomplete).size;
    assert.ok(partial > 0 && partial <= big.length / 2, `partial download of ${partial} bytes`);
    assert.ok(!existsSync(join(repoDir(cache), 'snapshots', COMMIT, 'cut.bin')));
    seen = [];
    const path = await hfHubDownload({ repoId: REPO, filename: 'cut.bin', quiet: true, retries: 0 });
    assert.ok(readFileSync(path).equals(big));
    const get = seen.find((s) => s.server === 'cdn')!;
    assert.equal(get.range, `bytes=${partial}-`);
    assert.ok(!existsSync(incomplete));
  });
});

test('a connection cut during a download is resumed within the same call', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    cutsLeft = 1;
    const path = await hfHubDownload({ repoId: REPO, filename: 'cut.bin', quiet: true });
    assert.ok(readFileSync(path).equals(big));
    const gets = seen.filter((s) => s.server === 'cdn');
    assert.equal(gets.length, 2);
    assert.equal(gets[0]!.range, undefined);
    assert.match(gets[1]!.range ?? '', /^bytes=[1-9]\d*-$/);
  });
});

test('a file whose hash differs from the announced one is refused and deleted', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const bad = files.get('bad.bin')!;
    await rejects(hfHubDownload({ repoId: REPO, filename: 'bad.bin', quiet: true }), (e) => {
      assert.equal(e.kind, 'integrity');
      assert.match(e.message, /bad\.bin/);
      assert.match(e.message, /sha256 is [0-9a-f]{64} but the hub announced/);
      assert.ok(e.message.includes(bad.etag) && e.message.includes(sha256(bad.body)));
    });
    assert.deepEqual(readdirSync(join(repoDir(cache), 'blobs')), [], 'neither blob nor .incomplete left');
    assert.ok(!existsSync(join(repoDir(cache), 'snapshots', COMMIT, 'bad.bin')));
  });
});

test('missing files and repositories give clear errors', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    await rejects(hfHubDownload({ repoId: REPO, filename: 'missing.bin', quiet: true }), (e) => {
      assert.equal(e.kind, 'not-found');
      assert.equal(e.details.status, 404);
      assert.match(e.message, /missing\.bin was not found in test-org\/tiny-model at revision main/);
    });
    await rejects(hfHubDownload({ repoId: REPO, filename: 'config.json', revision: 'v9', quiet: true }), (e) => {
      assert.match(e.message, /revision 'v9' was not found/);
    });
    await rejects(hfHubDownload({ repoId: 'nobody/nothing', filename: 'config.json', quiet: true }), (e) => {
      assert.equal(e.kind, 'unauthorized');
      assert.match(e.message, /nobody\/nothing was not found, or it is private or gated.*HF_TOKEN/);
    });
  });
});

test('an unreachable hub gives an error naming the file, URL, cache folder and where to put the file', async () => {
  const closed = await listen(() => undefined);
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const cache = tempDir();
  await withEnv({ HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_HUB_CACHE: cache }, async () => {
    await rejects(hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true }), (e) => {
      assert.equal(e.kind, 'unreachable');
      const url = `http://127.0.0.1:${port}/${REPO}/resolve/main/model.safetensors`;
      assert.equal(e.details.url, url);
      assert.match(e.message, /model\.safetensors of test-org\/tiny-model could not be downloaded: cannot connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
      assert.ok(e.message.includes(`URL:          ${url}`));
      assert.ok(e.message.includes(`cache folder: ${repoDir(cache)}`));
      assert.ok(e.message.includes(join(repoDir(cache), 'snapshots', 'manual', 'model.safetensors')));
    });
  });
  // With checkForUpdates, a cached copy is used when the hub cannot be reached.
  await withEnv(online(cache), () => hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true }));
  await withEnv({ HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_HUB_CACHE: cache }, async () => {
    const p = await hfHubDownload({ repoId: REPO, filename: 'config.json', quiet: true, checkForUpdates: true });
    assert.equal(p, join(repoDir(cache), 'snapshots', COMMIT, 'config.json'));
  });
});

test('a renamed repository (relative redirect) is followed', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const path = await hfHubDownload({ repoId: 'test-org/old-name', filename: 'config.json', quiet: true });
    assert.equal(path, join(repoDir(cache, 'test-org/old-name'), 'snapshots', COMMIT, 'config.json'));
    assert.equal(readFileSync(path, 'utf8'), files.get('config.json')!.body.toString());
  });
});

test('the token goes to the hub, never to the CDN', async () => {
  const cache = tempDir();
  await withEnv(online(cache, { HF_TOKEN: 'hf_secret' }), async () => {
    await hfHubDownload({ repoId: REPO, filename: 'model.safetensors', quiet: true });
    assert.deepEqual(seen.map((s) => `${s.server} ${s.auth ?? '-'}`), ['hub Bearer hf_secret', 'cdn -']);
  });
});

test('parallel calls for one file download it once', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    const paths = await Promise.all([1, 2, 3].map(() => hfHubDownload({ repoId: REPO, filename: 'cut.bin', quiet: true })));
    assert.equal(new Set(paths).size, 1);
    assert.equal(seen.filter((s) => s.server === 'cdn').length, 1);
  });
});

test('progress: a bar on a terminal, plain lines otherwise, nothing when quiet', async () => {
  const cache = tempDir();
  const lines: string[] = [];
  await withEnv(online(cache), async () => {
    await hfHubDownload({ repoId: REPO, filename: 'cut.bin', progressOutput: { write: (s: string) => lines.push(s) } });
  });
  const text = lines.join('');
  assert.match(text, /^Downloading cut\.bin \(1\.05 MB\) of test-org\/tiny-model from http:\/\/127\.0\.0\.1:\d+\/lfs\//);
  assert.match(text, /Downloaded cut\.bin: 1\.05 MB in \d+\.\d s\n$/);
  assert.ok(!text.includes('\r'));

  const tty: string[] = [];
  const cache2 = tempDir();
  await withEnv(online(cache2), async () => {
    await hfHubDownload({ repoId: REPO, filename: 'cut.bin', progressOutput: { write: (s: string) => tty.push(s), isTTY: true, columns: 100 } });
  });
  const bar = tty.join('');
  assert.match(bar, /\rcut\.bin: 100%\|█+\| 1\.05 MB\/1\.05 MB \[\d\d:\d\d<\d\d:\d\d, .*\/s\]\x1b\[K\n$/);

  const quiet: string[] = [];
  const cache3 = tempDir();
  await withEnv(online(cache3), async () => {
    await hfHubDownload({ repoId: REPO, filename: 'cut.bin', quiet: true, progressOutput: { write: (s: string) => quiet.push(s) } });
  });
  assert.deepEqual(quiet, []);
});

test('cache folder, endpoint and URLs follow huggingface_hub', async () => {
  await withEnv({}, () => {
    assert.equal(hubCacheDir(), join(homedir(), '.cache', 'huggingface', 'hub'));
    process.env.XDG_CACHE_HOME = '/x/cache';
    assert.equal(hubCacheDir(), '/x/cache/huggingface/hub');
    process.env.HF_HOME = '/h/home';
    assert.equal(hubCacheDir(), '/h/home/hub');
    process.env.HF_HUB_CACHE = '/c/hub';
    assert.equal(hubCacheDir(), '/c/hub');
    assert.equal(hubCacheDir('/explicit'), '/explicit');
    assert.equal(hubUrl('timm/resnet18.a1_in1k', 'model.safetensors'), 'https://huggingface.co/timm/resnet18.a1_in1k/resolve/main/model.safetensors');
    assert.equal(hubUrl('gpt2', 'a b/c.json', 'refs/pr/1'), 'https://huggingface.co/gpt2/resolve/refs%2Fpr%2F1/a%20b/c.json');
    assert.equal(hubUrl('org/data', 'x.csv', 'main', 'dataset'), 'https://huggingface.co/datasets/org/data/resolve/main/x.csv');
    process.env.HF_ENDPOINT = 'https://hf-mirror.example/';
    assert.equal(hubUrl('gpt2', 'config.json'), 'https://hf-mirror.example/gpt2/resolve/main/config.json');
    assert.equal(repoFolderName('timm/resnet18.a1_in1k'), 'models--timm--resnet18.a1_in1k');
    assert.equal(repoFolderName('gpt2'), 'models--gpt2');
    assert.equal(repoFolderName('org/data', 'dataset'), 'datasets--org--data');
  });
});

test('names that could leave the cache folder are refused', async () => {
  const cache = tempDir();
  await withEnv(online(cache), async () => {
    await assert.rejects(hfHubDownload({ repoId: REPO, filename: '../../etc/passwd', quiet: true }), /invalid file name/);
    await assert.rejects(hfHubDownload({ repoId: 'a/b/c', filename: 'x', quiet: true }), /invalid repository id/);
    await assert.rejects(hfHubDownload({ repoId: '../x', filename: 'x', quiet: true }), /invalid repository id/);
    await assert.rejects(hfHubDownload({ repoId: REPO, filename: 'x', revision: '../main', quiet: true }), /invalid revision/);
  });
  assert.deepEqual(seen, []);
});
