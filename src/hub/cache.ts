/**
 * The Hugging Face hub's local cache, laid out as Python's huggingface_hub lays it out, so a cache
 * filled by Python (timm, transformers) serves owlet and the other way round:
 *
 *   <cache>/models--<org>--<name>/
 *     blobs/<etag>                          the files' bytes, named by their etag (sha256 for LFS files)
 *     snapshots/<commit>/<filename>         relative symlinks into blobs/
 *     refs/<revision>                       the commit hash a branch or tag pointed at when last seen
 *
 * <cache> is `HF_HUB_CACHE`, else `HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export type RepoType = 'model' | 'dataset' | 'space';

const REPO_PREFIX: Record<RepoType, string> = { model: '', dataset: 'datasets/', space: 'spaces/' };

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** huggingface_hub's reading of a boolean environment variable. */
export function envFlag(name: string): boolean {
  return ['1', 'ON', 'YES', 'TRUE'].includes((env(name) ?? '').toUpperCase());
}

/** The cache folder: `explicit`, else HF_HUB_CACHE, else HF_HOME/hub, else the XDG / home default. */
export function hubCacheDir(explicit?: string): string {
  const dir =
    explicit ??
    env('HF_HUB_CACHE') ??
    env('HUGGINGFACE_HUB_CACHE') ??
    join(env('HF_HOME') ?? join(env('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface'), 'hub');
  return resolve(expandHome(dir));
}

/** The hub's address: `explicit`, else HF_ENDPOINT, else https://huggingface.co (no trailing slash). */
export function hubEndpoint(explicit?: string): string {
  return (explicit ?? env('HF_ENDPOINT') ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** Whether HF_HUB_OFFLINE asks for the cache only. */
export function hubOffline(): boolean {
  return envFlag('HF_HUB_OFFLINE');
}

/** The token for private or gated repositories: HF_TOKEN, or the file `huggingface-cli login` writes. */
export function hubToken(): string | undefined {
  const t = env('HF_TOKEN') ?? env('HUGGING_FACE_HUB_TOKEN');
  if (t) return t.trim();
  const file = env('HF_TOKEN_PATH') ?? join(expandHome(env('HF_HOME') ?? join(env('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface')), 'token');
  try {
    return readFileSync(expandHome(file), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `models--timm--resnet18.a1_in1k`, as huggingface_hub's `repo_folder_name`. */
export function repoFolderName(repoId: string, repoType: RepoType = 'model'): string {
  return [`${repoType}s`, ...repoId.split('/')].join('--');
}

/** `https://huggingface.co/<repo>/resolve/<revision>/<filename>`, as huggingface_hub's `hf_hub_url`. */
export function hubUrl(repoId: string, filename: string, revision = 'main', repoType: RepoType = 'model', endpoint?: string): string {
  const file = filename.split('/').map(encodeURIComponent).join('/');
  return `${hubEndpoint(endpoint)}/${REPO_PREFIX[repoType]}${repoId}/resolve/${encodeURIComponent(revision)}/${file}`;
}

const COMMIT = /^[0-9a-f]{40}$/;
export function isCommitHash(revision: string): boolean {
  return COMMIT.test(revision);
}

/** A name that is safe as one path component (a commit, an etag, a snapshot name). */
export function isSafeComponent(s: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..';
}

/** Checks a repository id (`org/name` or `name`). */
export function checkRepoId(repoId: string): void {
  if (typeof repoId !== 'string') throw new TypeError(`a repository id is a string, got ${typeof repoId}`);
  const parts = repoId.split('/');
  if (parts.length > 2 || !parts.every((p) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p) && !p.includes('--') && !p.includes('..')))
    throw new TypeError(`invalid repository id '${repoId}': expected 'name' or 'org/name' of letters, digits, '-', '_' and '.'`);
}

/** Checks a file name inside a repository (`model.safetensors`, `sub/dir/file.bin`). */
export function checkFilename(filename: string): void {
  if (typeof filename !== 'string') throw new TypeError(`a file name is a string, got ${typeof filename}`);
  const parts = filename.split('/');
  if (filename.includes('\\') || filename.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new TypeError(`invalid file name '${filename}': expected a relative path inside the repository, without '.', '..' or empty parts`);
}

/** Checks a revision (branch, tag, commit, `refs/pr/1`). */
export function checkRevision(revision: string): void {
  if (typeof revision !== 'string') throw new TypeError(`a revision is a string, got ${typeof revision}`);
  const parts = revision.split('/');
  if (revision.includes('\\') || revision.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new TypeError(`invalid revision '${revision}'`);
}

/** Where a repository's cache lives. */
export function repoCacheDir(repoId: string, repoType: RepoType = 'model', cacheDir?: string): string {
  return join(hubCacheDir(cacheDir), repoFolderName(repoId, repoType));
}

export function snapshotPath(repoDir: string, commit: string, filename: string): string {
  return join(repoDir, 'snapshots', commit, ...filename.split('/'));
}

/** The commit that refs/<revision> holds, or null. */
export function readRef(repoDir: string, revision: string): string | null {
  try {
    const commit = readFileSync(join(repoDir, 'refs', ...revision.split('/')), 'utf8').trim();
    return isSafeComponent(commit) ? commit : null;
  } catch {
    return null;
  }
}

export function writeRef(repoDir: string, revision: string, commit: string): void {
  if (readRef(repoDir, revision) === commit) return;
  const file = join(repoDir, 'refs', ...revision.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, commit);
}

/** snapshots/<commit>/<filename> -> ../../blobs/<etag>, relative as huggingface_hub makes it (a copy where symlinks fail). */
export function linkBlob(blob: string, pointer: string): void {
  mkdirSync(dirname(pointer), { recursive: true });
  rmSync(pointer, { force: true });
  try {
    symlinkSync(relative(dirname(pointer), blob), pointer);
  } catch {
    copyFileSync(blob, pointer);
  }
}

/** The snapshot commit a revision resolves to locally: the revision itself when it is a commit, else refs/<revision>. */
export function localCommit(repoDir: string, revision: string): string | null {
  return isCommitHash(revision) ? revision : readRef(repoDir, revision);
}

/**
 * The cached copy of a file, or null: as huggingface_hub's `try_to_load_from_cache`, it needs no
 * network and never downloads.
 */
export function tryLoadFromCache(options: { repoId: string; filename: string; revision?: string; repoType?: RepoType; cacheDir?: string }): string | null {
  const revision = options.revision ?? 'main';
  checkRepoId(options.repoId);
  checkFilename(options.filename);
  checkRevision(revision);
  const repoDir = repoCacheDir(options.repoId, options.repoType, options.cacheDir);
  const commit = localCommit(repoDir, revision);
  if (commit === null) return null;
  const p = snapshotPath(repoDir, commit, options.filename);
  return existsSync(p) ? p : null;
}
