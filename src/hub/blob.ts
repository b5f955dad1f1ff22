/**
 * Fetching one file into the cache's blobs: its metadata from a HEAD request, then the bytes into
 * blobs/<etag>.incomplete (resumed after a break), checked against the announced size and hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isSafeComponent } from './cache.js';
import type { Context } from './context.js';
import { HubDownloadError, NetworkError } from './errors.js';
import { errorFor, header, normalizeEtag, REDIRECTS, request } from './http.js';
import { formatBytes, Progress } from './progress.js';

export interface Metadata {
  commit: string;
  etag: string;
  size: number | undefined;
  downloadUrl: URL;
}

/** The commit, etag, size and download address, from a HEAD request. */
export async function headMetadata(ctx: Context): Promise<Metadata> {
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

/** Downloads into blobs/<etag>.incomplete, resuming and retrying, checks it, and renames it to `blob`. */
export async function downloadBlob(ctx: Context, meta: Metadata, blob: string): Promise<void> {
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
