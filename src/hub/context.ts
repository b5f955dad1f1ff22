/** What one `hfHubDownload` call works with: its options, resolved once into a context. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkFilename, checkRepoId, checkRevision, hubCacheDir, hubEndpoint, hubToken, hubUrl, localCommit, repoFolderName,
  snapshotPath, envFlag, type RepoType,
} from './cache.js';
import type { ProgressMode, ProgressOutput } from './progress.js';

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

/** One call's options, resolved. */
export interface Context {
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

/** The options resolved: defaults, environment variables, the URL and the cache folder. */
export function context(o: HfHubDownloadOptions): Context {
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

/** The cached file for the revision (refs/<revision> -> snapshots/<commit>/<file>), or null. */
export function cached(ctx: Context): string | null {
  const commit = localCommit(ctx.repoDir, ctx.revision);
  if (commit === null) return null;
  const p = snapshotPath(ctx.repoDir, commit, ctx.filename);
  return existsSync(p) ? p : null;
}
