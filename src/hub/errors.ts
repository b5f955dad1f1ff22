/** How a download fails: the error it gives, and the messages that say where to put a file by hand. */
import { dirname, join } from 'node:path';
import { localCommit, snapshotPath } from './cache.js';
import type { Context } from './context.js';

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
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export function manualPlacement(ctx: Context): { path: string; text: string } {
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

export function notCached(ctx: Context, kind: 'offline' | 'unreachable', why: string, cause?: unknown): HubDownloadError {
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
