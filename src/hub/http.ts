/** HTTP for the hub: requests with timeouts and redirects, the token for the hub only, and its errors. */
import * as http from 'node:http';
import * as https from 'node:https';
import { owletVersion } from '../engine/index.js';
import type { Context } from './context.js';
import { HubDownloadError, NetworkError } from './errors.js';

const USER_AGENT = `owlet/${owletVersion()}; node/${process.versions.node}`;
export const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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
export async function request(ctx: Context, method: 'GET' | 'HEAD', start: URL, follow: 'all' | 'relative', extra: Record<string, string> = {}) {
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

export function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

export function errorFor(ctx: Context, res: http.IncomingMessage, url: URL): Error {
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
