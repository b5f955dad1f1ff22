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
 *
 * The parts: context.ts (the options, resolved), http.ts (requests), blob.ts (fetching and checking
 * the bytes), errors.ts (the error and its messages); cache.ts and progress.ts serve them all.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hubOffline, linkBlob, snapshotPath, writeRef } from './cache.js';
import { downloadBlob, headMetadata, type Metadata } from './blob.js';
import { cached, context, type HfHubDownloadOptions } from './context.js';
import { HubDownloadError, manualPlacement, NetworkError, notCached } from './errors.js';

export type { HfHubDownloadOptions } from './context.js';
export { HubDownloadError, type HubErrorKind } from './errors.js';

const inflight = new Map<string, Promise<void>>();

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
