/**
 * Downloading files from the Hugging Face hub the way Python's huggingface_hub (and so timm) does,
 * into the same cache (see cache.ts), so each reuses what the other fetched.
 *
 *   1. A file already in the cache for the revision (refs/<revision> -> snapshots/<commit>/<file>)
 *      is returned at once, without a request (`checkForUpdates: true` asks the hub first).
 *   2. Otherwise a HEAD request to `<endpoint>/<repo>/resolve/<revision>/<file>` gives the commit
 *      (X-Repo-Commit), the etag (X-Linked-Etag or ETag) and the size (X-Linked-Size or
 *      Content-Length); a redirect to a CDN is not followed then, but gives the download address.
 *   3. The bytes go to blobs/<etag>.incomplete; a broken download resumes from there with a Range
 *      request (here, or in a later call). The result is checked against the announced size and
 *      hash (the etag is the sha256 of an LFS file, the git blob sha1 of a small one), then renamed
 *      to blobs/<etag> and linked from snapshots/<commit>/<file>.
 *
 * HF_HUB_OFFLINE=1 uses only the cache. When the file is not there and the hub cannot be asked, the
 * error says where to put the file by hand.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { owletVersion } from '../engine/index.js';
import {
  checkFilename, checkRepoId, checkRevision, hubCacheDir, hubEndpoint, hubOffline, hubToken, hubUrl, isSafeComponent,
  linkBlob, localCommit, repoFolderName, snapshotPath, writeRef, envFlag, type RepoType,
} from './cache.js';
import { formatBytes, Progress, type ProgressMode, type ProgressOutput } from './progress.js';

export interface HfHubDownloadOptions {
  /** `org/name` (or `name`), as on the hub: `timm/resnet18.a1_in1k`. */
  repoId: string;
  /** The file's path in the repository: `model.safetensors`. */
  filename: string;
  /** Branch, tag or commit hash; default `main`. */
  revision?: string;
  repoType?: RepoType;
  /** The cache folder; default HF_HUB_CACHE, HF_HOME/hub, or ~/.cache/huggingface/hub. */
  cacheDir?: string;
  /** The hub's address; default HF_ENDPOINT or https://huggingface.co. */
  endpoint?: string;
  /** No progress display. */
  quiet?: boolean;
  /** Use only the cache (as HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Ask the hub whether the revision moved even when the file is cached (falls back to the cache when unreachable). */
  checkForUpdates?: boolean;
  /** Download again even if cached. */
  forceDownload?: boolean;
  /** A token for private or gated repositories; default HF_TOKEN or the saved login; `false` for none. */
  token?: string | false;
  /** How many times a broken download is resumed before giving up (default 5). */
  retries?: number;
  /** Seconds without any data before a request is given up (default 10, or HF_HUB_DOWNLOAD_TIMEOUT). */
  timeoutSeconds?: number;
  /** Where progress goes (default process.stderr). */
  progressOutput?: ProgressOutput;
}

export type HubErrorKind = 'offline' | 'unreachable' | 'not-found' | 'unauthorized' | 'http' | 'integrity' | 'protocol';

/** A download that failed; the message says what happened and what to do. */
export class HubDownloadError extends Error {
  override name = 'HubDownloadError';
  constructor(
    message: string,
    readonly kind: HubErrorKind,
    readonly details: { repoId: string; filename: string; url: string; cacheFolder: string; manualPath?: string; status?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure of the connection itself (refused, reset, cut, timed out, 5xx): worth a retry, or the cache. */
class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

interface Context {
  repoId: string;
  filename: string;
  revision: string;
  repoType: RepoType;
  url: string;
  endpointOrigin: string;
  repoDir: string;
  token: string | undefined;
  timeoutMs: number;
  retries: number;
  mode: ProgressMode;
  out: ProgressOutput;
}

const USER_AGENT = `owlet/${owletVersion()}; node/${process.versions.node}`;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const inflight = new Map<string, Promise<void>>();

// ---------------------------------------------------------------------------------------------
// HTTP

function requestOnce(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (lib === null) {
      reject(new NetworkError(`unsupported protocol ${url.protocol} in ${url.href}`));
      return;
    }
    const req = lib.request(url, { method, headers });
    req.setTimeout(timeoutMs, () => req.destroy(new NetworkError(`no answer from ${url.host} for ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof NetworkError) return reject(e);
      const code = e.code ?? '';
      const connect = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
      reject(new NetworkError(
        connect ? `cannot connect to ${url.host} (${code})`
          : code === 'ECONNRESET' ? `the connection to ${url.host} was reset (ECONNRESET)`
          : e.message || code || String(e)));
    });
    req.on('response', resolvePromise);
    req.end();
  });
}

function headersFor(ctx: Context, url: URL, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity', ...extra };
  // The token goes to the hub only, never to the CDN it redirects to.
  if (ctx.token && url.origin === ctx.endpointOrigin) h.Authorization = `Bearer ${ctx.token}`;
  return h;
}

/** Follows redirects: all of them (`all`), or only relative ones, as huggingface_hub's HEAD does. */
async function request(ctx: Context, method: 'GET' | 'HEAD', start: URL, follow: 'all' | 'relative', extra: Record<string, string> = {}) {
  let url = start;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(method, url, headersFor(ctx, url, extra), ctx.timeoutMs);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return { res, url };
    const relative = !/^[a-z][a-z0-9+.-]*:/i.test(location) && !location.startsWith('//');
    if (follow === 'relative' && !relative) return { res, url };
    res.resume();
    if (hop >= 10) throw new NetworkError(`more than 10 redirects from ${start.href}`);
    url = new URL(location, url);
  }
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

function errorFor(ctx: Context, res: http.IncomingMessage, url: URL): Error {
  const status = res.statusCode ?? 0;
  const code = header(res, 'x-error-code');
  const serverMessage = header(res, 'x-error-message');
  res.resume();
  const base = { repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir, status };
  const said = serverMessage ? ` (the hub says: ${serverMessage})` : '';
  if (status >= 500) return new NetworkError(`${url.host} answered ${status} ${res.statusMessage ?? ''}`.trim(), status);
  if (code === 'EntryNotFound' || (status === 404 && code !== 'RepoNotFound' && code !== 'RevisionNotFound'))
    return new HubDownloadError(`${ctx.filename} was not found in ${ctx.repoId} at revision ${ctx.revision}: ${ctx.url} answered ${status}${said}`, 'not-found', base);
  if (code === 'RevisionNotFound')
    return new HubDownloadError(`revision '${ctx.revision}' was not found in ${ctx.repoId} (${ctx.url} answered ${status})${said}`, 'not-found', base);
  if (code === 'RepoNotFound' || status === 401)
    return new HubDownloadError(
      `repository ${ctx.repoId} was not found, or it is private or gated and needs a token (set HF_TOKEN): ${ctx.url} answered ${status}${said}`,
      status === 401 ? 'unauthorized' : 'not-found', base);
  if (code === 'GatedRepo' || status === 403)
    return new HubDownloadError(
      `access to ${ctx.repoId} is restricted: accept its conditions on the hub and set HF_TOKEN (${ctx.url} answered ${status})${said}`, 'unauthorized', base);
  return new HubDownloadError(`downloading ${ctx.filename} from ${url.href} failed: ${status} ${res.statusMessage ?? ''}${said}`, 'http', base);
}

// ---------------------------------------------------------------------------------------------
// Messages

function manualPlacement(ctx: Context): { path: string; text: string } {
  const commit = localCommit(ctx.repoDir, ctx.revision);
  const name = ctx.filename.split('/').pop()!;
  if (commit !== null) {
    const path = snapshotPath(ctx.repoDir, commit, ctx.filename);
    return {
      path,
      text: `To put the file there by hand, download ${ctx.url} where the hub can be reached and place it at\n  ${path}\n` +
        `for example: mkdir -p "${dirname(path)}" && cp ${name} "${path}"`,
    };
  }
  const path = snapshotPath(ctx.repoDir, 'manual', ctx.filename);
  const ref = join(ctx.repoDir, 'refs', ...ctx.revision.split('/'));
  return {
    path,
    text: `To put the file there by hand, download ${ctx.url} where the hub can be reached, place it at\n  ${path}\n` +
      `and write the snapshot's name, manual, in ${ref}; for example:\n` +
      `  mkdir -p "${dirname(path)}" "${dirname(ref)}" && cp ${name} "${path}" && printf manual > "${ref}"`,
  };
}

function notCached(ctx: Context, kind: 'offline' | 'unreachable', why: string, cause?: unknown): HubDownloadError {
  const manual = manualPlacement(ctx);
  const headline = kind === 'offline'
    ? `${ctx.filename} of ${ctx.repoId} is not in the local cache, and offline mode (HF_HUB_OFFLINE=1) forbids downloading it.`
    : `${ctx.filename} of ${ctx.repoId} could not be downloaded: ${why}; it is not in the local cache either.`;
  const message = `${headline}\n` +
    `  file:         ${ctx.filename} (revision ${ctx.revision})\n` +
    `  URL:          ${ctx.url}\n` +
    `  cache folder: ${ctx.repoDir}\n` +
    manual.text;
  return new HubDownloadError(message, kind, {
    repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir, manualPath: manual.path,
  }, { cause });
}

// ---------------------------------------------------------------------------------------------
// Download

interface Metadata {
  commit: string;
  etag: string;
  size: number | undefined;
  downloadUrl: URL;
}

async function headMetadata(ctx: Context): Promise<Metadata> {
  const { res, url } = await request(ctx, 'HEAD', new URL(ctx.url), 'relative');
  const status = res.statusCode ?? 0;
  if (status >= 400) throw errorFor(ctx, res, url);
  res.resume();
  const fail = (what: string) =>
    new HubDownloadError(`${url.href} ${what}: is ${ctx.endpointOrigin} a Hugging Face hub?`, 'protocol',
      { repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir, status });
  const commit = header(res, 'x-repo-commit');
  const rawEtag = header(res, 'x-linked-etag') ?? header(res, 'etag');
  if (!commit) throw fail('sent no X-Repo-Commit header');
  if (!rawEtag) throw fail('sent no ETag');
  const etag = normalizeEtag(rawEtag);
  if (!isSafeComponent(commit)) throw fail(`sent a commit that cannot name a folder ('${commit}')`);
  if (!isSafeComponent(etag)) throw fail(`sent an etag that cannot name a file ('${etag}')`);
  const sizeText = header(res, 'x-linked-size') ?? (REDIRECTS.has(status) ? undefined : header(res, 'content-length'));
  const size = sizeText !== undefined && /^\d+$/.test(sizeText) ? Number(sizeText) : undefined;
  const location = header(res, 'location');
  const downloadUrl = REDIRECTS.has(status) && location ? new URL(location, url) : url;
  return { commit, etag, size, downloadUrl };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** One GET into `incomplete`, resuming from what it holds. Network trouble throws NetworkError. */
async function fetchInto(ctx: Context, meta: Metadata, incomplete: string, bar: Progress): Promise<void> {
  const have = fileSize(incomplete);
  const extra: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
  const { res, url } = await request(ctx, 'GET', meta.downloadUrl, 'all', extra);
  const status = res.statusCode ?? 0;
  if (status === 416 && have > 0) {
    res.resume();
    truncateSync(incomplete, 0);
    throw new NetworkError(`${url.host} refused to resume at byte ${have}; starting over`);
  }
  if (status >= 400) throw errorFor(ctx, res, url);
  let append = false;
  if (status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(res, 'content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      res.resume();
      truncateSync(incomplete, 0);
      throw new NetworkError(`${url.host} resumed at the wrong place (Content-Range: ${header(res, 'content-range')}); starting over`);
    }
    append = true;
  } else if (status !== 200) {
    res.resume();
    throw new HubDownloadError(`downloading ${ctx.filename} from ${url.href}: unexpected answer ${status} ${res.statusMessage ?? ''}`, 'http',
      { repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir, status });
  }
  const lengthText = header(res, 'content-length');
  const expected = lengthText !== undefined && /^\d+$/.test(lengthText) ? Number(lengthText) : undefined;
  const start = append ? have : 0;
  if (bar.total === undefined && expected !== undefined) bar.total = start + expected;
  bar.set(start);
  let got = 0;
  let broken: Error | null = null;
  res.on('error', (e) => (broken = e));
  res.on('aborted', () => (broken ??= new Error('aborted')));
  try {
    await pipeline(
      res,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          got += chunk.length;
          bar.set(start + got);
          yield chunk;
        }
      },
      createWriteStream(incomplete, { flags: append ? 'a' : 'w' }),
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (broken || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || e instanceof NetworkError)
      throw new NetworkError(`the connection to ${url.host} broke after ${formatBytes(start + got)} (${(e as Error).message})`);
    throw e;
  }
  if (expected !== undefined && got !== expected)
    throw new NetworkError(`the connection to ${url.host} closed after ${formatBytes(start + got)} of ${formatBytes(start + expected)}`);
}

async function hashFile(path: string, algorithm: 'sha256' | 'sha1', prefix?: string): Promise<string> {
  const h = createHash(algorithm);
  if (prefix !== undefined) h.update(prefix);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Checks the finished download against the announced size and hash; returns what was checked. */
async function verify(ctx: Context, meta: Metadata, path: string): Promise<void> {
  const size = fileSize(path);
  const base = { repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir };
  if (meta.size !== undefined && size !== meta.size)
    throw new HubDownloadError(
      `the download of ${ctx.filename} from ${ctx.url} has ${size} bytes but the hub announced ${meta.size}; it was deleted, try again`, 'integrity', base);
  let algorithm: 'sha256' | 'sha1' | null = null;
  if (/^[0-9a-f]{64}$/.test(meta.etag)) algorithm = 'sha256';
  else if (/^[0-9a-f]{40}$/.test(meta.etag)) algorithm = 'sha1';
  if (algorithm === null) return;
  // An LFS file's etag is its sha256; a small file's is git's blob id, sha1("blob <size>\0" + bytes).
  const actual = await hashFile(path, algorithm, algorithm === 'sha1' ? `blob ${size}\0` : undefined);
  if (actual !== meta.etag)
    throw new HubDownloadError(
      `the download of ${ctx.filename} from ${ctx.url} is corrupt: its ${algorithm === 'sha256' ? 'sha256' : 'git sha1'} is ${actual} but the hub announced ${meta.etag}; ` +
        'it was deleted, try again (if this repeats, something between you and the hub alters the file)', 'integrity', base);
}

async function downloadBlob(ctx: Context, meta: Metadata, blob: string): Promise<void> {
  const incomplete = `${blob}.incomplete`;
  mkdirSync(dirname(blob), { recursive: true });
  const resumeFrom = fileSize(incomplete);
  const bar = new Progress(ctx.filename, { mode: ctx.mode, out: ctx.out, total: meta.size, initial: resumeFrom });
  const size = meta.size !== undefined ? ` (${formatBytes(meta.size)})` : '';
  if (ctx.mode === 'lines' || resumeFrom > 0)
    bar.note(`${resumeFrom > 0 ? 'Resuming' : 'Downloading'} ${ctx.filename}${size} of ${ctx.repoId}` +
      `${resumeFrom > 0 ? ` from ${formatBytes(resumeFrom)}` : ''} from ${meta.downloadUrl.href}`);
  for (let attempt = 0; ; attempt++) {
    const have = fileSize(incomplete);
    if (meta.size !== undefined && have > meta.size) truncateSync(incomplete, 0);
    if (meta.size !== undefined && have === meta.size && have > 0) break;
    try {
      await fetchInto(ctx, meta, incomplete, bar);
      break;
    } catch (e) {
      if (!(e instanceof NetworkError) || attempt >= ctx.retries) {
        if (ctx.mode === 'bar') bar.finish();
        throw e;
      }
      const wait = Math.min(4000, 250 * 2 ** attempt);
      bar.note(`${e.message}; resuming in ${wait / 1000} s (retry ${attempt + 1} of ${ctx.retries})`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  bar.finish();
  try {
    await verify(ctx, meta, incomplete);
  } catch (e) {
    rmSync(incomplete, { force: true });
    throw e;
  }
  renameSync(incomplete, blob);
  if (ctx.mode === 'lines') {
    const { seconds } = bar.summary();
    bar.note(`Downloaded ${ctx.filename}: ${formatBytes(fileSize(blob))} in ${seconds.toFixed(1)} s`);
  }
}

function context(o: HfHubDownloadOptions): Context {
  const revision = o.revision ?? 'main';
  checkRepoId(o.repoId);
  checkFilename(o.filename);
  checkRevision(revision);
  const repoType = o.repoType ?? 'model';
  const url = hubUrl(o.repoId, o.filename, revision, repoType, o.endpoint);
  const out = o.progressOutput ?? process.stderr;
  const quiet = o.quiet || envFlag('HF_HUB_DISABLE_PROGRESS_BARS');
  const timeoutEnv = Number(process.env.HF_HUB_DOWNLOAD_TIMEOUT);
  return {
    repoId: o.repoId,
    filename: o.filename,
    revision,
    repoType,
    url,
    endpointOrigin: new URL(hubEndpoint(o.endpoint)).origin,
    repoDir: join(hubCacheDir(o.cacheDir), repoFolderName(o.repoId, repoType)),
    token: o.token === false ? undefined : o.token ?? hubToken(),
    timeoutMs: 1000 * (o.timeoutSeconds ?? (timeoutEnv > 0 ? timeoutEnv : 10)),
    retries: o.retries ?? 5,
    mode: quiet ? 'off' : out.isTTY ? 'bar' : 'lines',
    out,
  };
}

function cached(ctx: Context): string | null {
  const commit = localCommit(ctx.repoDir, ctx.revision);
  if (commit === null) return null;
  const p = snapshotPath(ctx.repoDir, commit, ctx.filename);
  return existsSync(p) ? p : null;
}

/**
 * Downloads a file of a hub repository into the Hugging Face cache (or finds it there) and returns
 * its local path, as Python's `huggingface_hub.hf_hub_download`.
 */
export async function hfHubDownload(options: HfHubDownloadOptions): Promise<string> {
  const ctx = context(options);
  const offline = options.offline || hubOffline();
  const hit = options.forceDownload ? null : cached(ctx);
  if (hit !== null && (!options.checkForUpdates || offline)) return hit;
  if (offline) throw notCached(ctx, 'offline', 'offline mode');

  let meta: Metadata;
  try {
    meta = await headMetadata(ctx);
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    if (hit !== null) return hit;
    throw notCached(ctx, 'unreachable', e.message, e);
  }
  if (ctx.revision !== meta.commit) writeRef(ctx.repoDir, ctx.revision, meta.commit);
  const pointer = snapshotPath(ctx.repoDir, meta.commit, ctx.filename);
  if (!options.forceDownload && existsSync(pointer)) return pointer;
  const blob = join(ctx.repoDir, 'blobs', meta.etag);
  if (options.forceDownload || !existsSync(blob)) {
    // One download per blob at a time in this process; a second caller waits for the first.
    let job = inflight.get(blob);
    if (job === undefined) {
      job = downloadBlob(ctx, meta, blob).catch((e: unknown) => {
        if (e instanceof NetworkError)
          throw new HubDownloadError(
            `downloading ${ctx.filename} of ${ctx.repoId} from ${meta.downloadUrl.href} failed: ${e.message}.\n` +
              `What arrived is kept in ${blob}.incomplete and the next call resumes from there.\n` +
              `  URL:          ${ctx.url}\n  cache folder: ${ctx.repoDir}\n${manualPlacement(ctx).text}`,
            'unreachable',
            { repoId: ctx.repoId, filename: ctx.filename, url: ctx.url, cacheFolder: ctx.repoDir, manualPath: pointer, status: e.status },
            { cause: e });
        throw e;
      }).finally(() => inflight.delete(blob));
      inflight.set(blob, job);
    }
    await job;
  }
  linkBlob(blob, pointer);
  return pointer;
}
