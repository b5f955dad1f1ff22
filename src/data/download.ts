/**
 * Downloading a file over HTTP(S) with a progress bar, resuming a broken download (a Range request
 * from the `.part` file, here or in a later call), and checks of the result: fastai's [size, md5 of
 * the first MiB], and optionally the sha256 of the whole file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, openSync, readSync, closeSync, renameSync, rmSync, statSync, mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { dirname } from 'node:path';
import { Progress, type ProgressOutput } from '../hub/progress.js';

export type DownloadErrorKind = 'unreachable' | 'http' | 'checksum' | 'protocol';

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(message: string, readonly kind: DownloadErrorKind, readonly url: string, readonly status?: number) {
    super(message);
  }
}

export interface DownloadChecks {
  /** fastai's check: [size in bytes, md5 hex of the first MiB]. */
  fastai?: readonly [number, string];
  /** The sha256 hex of the whole file. */
  sha256?: string;
}

export interface DownloadOptions {
  /** No progress display. */
  quiet?: boolean;
  progressOutput?: ProgressOutput;
  /** Times a broken download is resumed before giving up (default 5). */
  retries?: number;
  /** Seconds without data before a request is given up (default 30). */
  timeoutSeconds?: number;
  checks?: DownloadChecks;
  /** Pause between retries, in ms (default 500, doubled each time). */
  retryDelayMs?: number;
}

/** fastai's `path_stats`: the size and the md5 of the first MiB. */
export function pathStats(file: string): [number, string] {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 2 ** 20));
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return [size, createHash('md5').update(buf.subarray(0, at)).digest('hex')];
  } finally {
    closeSync(fd);
  }
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Whether a file passes the checks; the reason when it does not. */
export async function checkFile(file: string, checks: DownloadChecks | undefined): Promise<string | null> {
  if (!checks) return null;
  if (checks.fastai) {
    const [size, md5] = pathStats(file);
    if (size !== checks.fastai[0]) return `its size is ${size} bytes, expected ${checks.fastai[0]}`;
    if (md5 !== checks.fastai[1]) return `the md5 of its first MiB is ${md5}, expected ${checks.fastai[1]}`;
  }
  if (checks.sha256) {
    const got = await sha256File(file);
    if (got !== checks.sha256.toLowerCase()) return `its sha256 is ${got}, expected ${checks.sha256.toLowerCase()}`;
  }
  return null;
}

class Retryable extends Error {}

function get(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return reject(new DownloadError(`unsupported protocol in ${url.href}`, 'protocol', url.href));
    const req = lib.request(url, { method: 'GET', headers: { 'user-agent': `owlet/0.1.0 node/${process.versions.node}`, ...headers } });
    req.setTimeout(timeoutMs, () => req.destroy(new Retryable(`no answer from ${url.host} for ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof Retryable ? e : new Retryable(`${url.host}: ${e.code ?? e.message}`)));
    req.on('response', resolve);
    req.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One request (following redirects) appending to `part`; resolves when the body has been written. */
async function fetchInto(url: string, part: string, progress: { p: Progress | null; total?: number }, timeoutMs: number, mk: (total: number | undefined, initial: number) => Progress | null): Promise<void> {
  let have = existsSync(part) ? statSync(part).size : 0;
  let u = new URL(url);
  let res: http.IncomingMessage | undefined;
  for (let hops = 0; hops < 10; hops++) {
    res = await get(u, have > 0 ? { range: `bytes=${have}-` } : {}, timeoutMs);
    if (REDIRECTS.has(res.statusCode ?? 0) && res.headers.location) {
      res.resume();
      u = new URL(res.headers.location, u);
      continue;
    }
    break;
  }
  if (!res) throw new DownloadError(`too many redirects from ${url}`, 'protocol', url);
  const status = res.statusCode ?? 0;
  const unsatisfied = /^bytes \*\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
  if (status === 416 && have > 0 && (have === progress.total || (unsatisfied && Number(unsatisfied[1]) === have))) {
    res.resume();
    return; // already complete
  }
  if (status === 416) {
    res.resume();
    rmSync(part, { force: true });
    throw new Retryable('the server refused to resume; starting again');
  }
  if (status >= 500) {
    res.resume();
    throw new Retryable(`HTTP ${status} from ${u.host}`);
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new DownloadError(`cannot download ${url}: HTTP ${status}${status === 404 ? ' (not found)' : ''}`, 'http', url, status);
  }
  let total: number | undefined;
  const length = Number(res.headers['content-length']);
  if (status === 206) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
    if (!m || Number(m[1]) !== have) {
      res.resume();
      rmSync(part, { force: true });
      throw new Retryable('the server resumed at another offset; starting again');
    }
    if (m[3] !== '*') total = Number(m[3]);
  } else {
    if (have > 0) rmSync(part, { force: true }); // the server ignored the range: start again
    have = 0;
    if (Number.isFinite(length)) total = length;
  }
  if (total === undefined && Number.isFinite(length)) total = have + length;
  progress.total = total;
  progress.p ??= mk(total, have);
  if (progress.p) progress.p.total = total;
  const out = createWriteStream(part, { flags: 'a' });
  let done = have;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      // keep what arrived: flush it to the .part file, then retry from there
      res!.unpipe(out);
      const why = e instanceof DownloadError ? e : new Retryable(`the download broke off (${(e as Error).message ?? e})`);
      out.end(() => reject(why));
    };
    res!.setTimeout?.(timeoutMs, () => res!.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
    res!.on('data', (chunk: Buffer) => {
      done += chunk.length;
      progress.p?.set(done);
    });
    res!.on('error', fail);
    res!.on('aborted', () => fail(new Error('connection closed')));
    out.on('error', (e) => reject(e));
    res!.pipe(out);
    out.on('finish', () => {
      if (failed) return;
      if (total !== undefined && done < total) reject(new Retryable(`the connection closed after ${done} of ${total} bytes`));
      else resolve();
    });
  });
}

/**
 * Downloads `url` to `dest` (through `dest.part`, resumed if present), then checks it. A file
 * failing its checks is deleted and a `DownloadError` of kind 'checksum' says why.
 */
export async function downloadUrl(url: string, dest: string, options: DownloadOptions = {}): Promise<string> {
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const retries = options.retries ?? 5;
  const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
  const out = options.progressOutput ?? process.stderr;
  const mode = options.quiet ? 'off' : out.isTTY ? 'bar' : 'lines';
  const name = url.split('/').pop()!.split('?')[0]!;
  const state: { p: Progress | null; total?: number } = { p: null };
  const mk = (total: number | undefined, initial: number) => new Progress(name, { mode, out, total, initial });
  if (mode !== 'off' && existsSync(part)) out.write(`resuming ${name} from ${statSync(part).size} bytes\n`);
  let delay = options.retryDelayMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchInto(url, part, state, timeoutMs, mk);
      break;
    } catch (e) {
      if (!(e instanceof Retryable)) throw e;
      if (attempt >= retries) {
        throw new DownloadError(`cannot download ${url}: ${e.message} (after ${retries} retries). ` +
          `What was fetched is kept in ${part}; the next call resumes from there.`, 'unreachable', url);
      }
      state.p?.note(`${name}: ${e.message}; retrying`);
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
  state.p?.finish();
  const bad = await checkFile(part, options.checks);
  if (bad !== null) {
    rmSync(part, { force: true });
    throw new DownloadError(`the download of ${url} is corrupt or not the expected version: ${bad}. It was deleted; try again.`, 'checksum', url);
  }
  renameSync(part, dest);
  return dest;
}
