/**
 * `untarData(URLs.PETS)`: fastai's download-and-extract. The archive goes to `<home>/archive`, its
 * contents to `<home>/data/<name>` (a single top-level folder in the archive becomes that folder, as
 * fastdownload does), and the folder is returned; a second call returns it at once.
 *
 * `<home>` is `FASTAI_HOME`, else `~/.fastai`, as fastai; its `config.ini` (fastai's) is honoured for
 * the `archive` and `data` folders when present.
 *
 * Extraction refuses the whole archive, before writing anything, when an entry has an absolute
 * path, a `..` component, is a device or FIFO, or is a link that points (or an entry that is
 * written through a link) outside the target folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import * as tar from 'tar';
import { checkFile, downloadUrl, type DownloadChecks, type DownloadOptions } from './download.js';
import { downloadChecks } from './urls.js';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(message: string, readonly archive: string, readonly entry?: string) {
    super(message);
  }
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** fastai's home folder: `FASTAI_HOME`, else `~/.fastai`. */
export function fastaiHome(base?: string): string {
  const env = process.env.FASTAI_HOME;
  return resolve(expandHome(base ?? (env !== undefined && env !== '' ? env : '~/.fastai')));
}

/** A folder of fastai's config (`data`, `archive`, `model`, `storage`): config.ini's value, else the default name, under the home. */
export function fastaiPath(key: 'data' | 'archive' | 'model' | 'storage', base?: string): string {
  const home = fastaiHome(base);
  const defaults = { data: 'data', archive: 'archive', model: 'models', storage: 'tmp' };
  let value: string = defaults[key];
  const ini = join(home, 'config.ini');
  if (existsSync(ini)) {
    for (const line of readFileSync(ini, 'utf8').split(/\r?\n/)) {
      const m = /^\s*([\w-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
      if (m && m[1]!.toLowerCase() === key && m[2]) value = m[2];
    }
  }
  value = expandHome(value);
  return isAbsolute(value) ? value : join(home, value);
}

/** The folder name an archive extracts to: its file name without `.tgz`, `.tar.gz`, `.tar`, … */
export function archiveStem(fileOrUrl: string): string {
  const name = basename(fileOrUrl.split('?')[0]!);
  return name.replace(/\.(tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|tar|zip|gz)$/i, '');
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

function segments(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

function isAbsoluteAny(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
}

/** Lexically resolves `target` from folder `from` (both relative to the root); null when it leaves the root. */
function within(from: string[], target: string): string[] | null {
  const out = [...from];
  for (const s of segments(target)) {
    if (s === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(s);
  }
  return out;
}

/** Checks every entry of a tar archive (see the top of this file); throws an `ArchiveError` on the first bad one. */
export async function checkTarball(file: string): Promise<void> {
  const links = new Set<string>();
  const refuse = (entry: string, why: string) => new ArchiveError(`refusing to extract ${file}: the entry '${entry}' ${why}`, file, entry);
  let problem: ArchiveError | null = null;
  const throughLink = (parts: string[]): boolean => {
    for (let i = 1; i < parts.length; i++) if (links.has(parts.slice(0, i).join('/'))) return true;
    return false;
  };
  await tar.t({
    file,
    strict: true,
    onReadEntry: (e) => {
      if (problem) return;
      const p = e.path;
      const type = e.type;
      if (isAbsoluteAny(p)) problem = refuse(p, 'has an absolute path');
      else if (segments(p).includes('..')) problem = refuse(p, "has a '..' in its path");
      else if (!FILE_TYPES.has(type)) problem = refuse(p, `is a ${type}, not a file, folder or link`);
      else if (throughLink(segments(p))) problem = refuse(p, 'would be written through a symbolic link in the archive');
      else if (type === 'SymbolicLink' || type === 'Link') {
        const target = e.linkpath ?? '';
        const parts = segments(p);
        const from = type === 'SymbolicLink' ? parts.slice(0, -1) : [];
        const resolved = isAbsoluteAny(target) ? null : within(from, target);
        if (resolved === null) problem = refuse(p, `is a link to '${target}', outside the target folder`);
        else if (throughLink([...resolved, ''])) problem = refuse(p, `is a link to '${target}', through another link in the archive`);
        if (type === 'SymbolicLink') links.add(parts.join('/'));
      }
    },
  });
  if (problem) throw problem;
}

/**
 * Extracts a .tgz / .tar.gz / .tar archive into `dest` (created), after `checkTarball`. node-tar's
 * own protections stay on too (no absolute paths, no `..`, no writing through links).
 */
export async function extractTarball(file: string, dest: string): Promise<void> {
  if (/\.zip$/i.test(file)) throw new ArchiveError(`cannot extract ${file}: owlet reads tar archives (.tgz, .tar.gz, .tar), not zip files; unzip it by hand`, file);
  try {
    await checkTarball(file);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(`cannot read the archive ${file}: ${(e as Error).message}`, file);
  }
  mkdirSync(dest, { recursive: true });
  await tar.x({ file, cwd: dest, strict: true, preservePaths: false, filter: (_p, e) => FILE_TYPES.has((e as tar.ReadEntry).type ?? 'File') });
}

export interface UntarDataOptions extends Omit<DownloadOptions, 'checks'> {
  /** fastai's home (default FASTAI_HOME or ~/.fastai). */
  base?: string;
  /** Where archives go (default `<home>/archive`). */
  archive?: string;
  /** Where they are extracted (default `<home>/data`). */
  data?: string;
  /** Download and extract again even when present. */
  forceDownload?: boolean;
  /** Checks of the archive: default fastai's for a known URL; false for none. */
  checks?: DownloadChecks | false;
}

const inflight = new Map<string, Promise<string>>();

/** fastai's `untar_data(url)`: downloads (once) and extracts (once); returns the data folder. */
export function untarData(url: string, options: UntarDataOptions = {}): Promise<string> {
  const key = `${url}\0${options.base ?? ''}\0${options.data ?? ''}`;
  let p = inflight.get(key);
  if (!p) {
    p = untarDataOnce(url, options).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

async function untarDataOnce(url: string, options: UntarDataOptions): Promise<string> {
  const archiveDir = resolve(options.archive ?? fastaiPath('archive', options.base));
  const dataDir = resolve(options.data ?? fastaiPath('data', options.base));
  const fname = basename(new URL(url).pathname);
  if (!fname) throw new Error(`untarData: no file name in ${url}`);
  const archive = join(archiveDir, fname);
  const dest = join(dataDir, archiveStem(fname));
  const known = downloadChecks[url];
  const checks: DownloadChecks | undefined = options.checks === false ? undefined : options.checks ?? (known ? { fastai: known } : undefined);
  if (options.forceDownload) {
    rmSync(archive, { force: true });
    rmSync(dest, { recursive: true, force: true });
  }
  if (existsSync(dest)) return dest;
  if (existsSync(archive) && (await checkFile(archive, checks)) !== null) {
    if (!options.quiet) (options.progressOutput ?? process.stderr).write('Downloading a new version of this dataset...\n');
    rmSync(archive, { force: true });
  }
  if (!existsSync(archive)) await downloadUrl(url, archive, { ...options, checks });
  // Extract next to the destination, then move into place, so a broken extraction leaves nothing half-made.
  const tmp = join(dataDir, `.${archiveStem(fname)}.extracting-${process.pid}-${Date.now()}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    await extractTarball(archive, tmp);
    const top = readdirSync(tmp);
    const src = top.length === 1 && statSync(join(tmp, top[0]!)).isDirectory() ? join(tmp, top[0]!) : tmp;
    if (existsSync(dest)) return dest; // another process finished first
    renameSync(src, dest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dest;
}

