/**
 * Serves the built renderer (`out/renderer`) for `app://qmp-monitor/...` requests.
 *
 * A custom standard+secure scheme gives the page a real origin (checklist item 18) instead of
 * file://, which would grant access to every local file. Only files under the renderer folder
 * are served; traversal, other hosts and unknown paths get 404, and every response carries the
 * shell's CSP. Uses the global fetch `Response`, so it runs (and is tested) under plain Node.
 */
import { readStatic, resolveStaticPath } from '../hosts/renderer-files';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { SECURITY_HEADERS, securityHeadersFor } from './csp';

/**
 * Maps a request URL to a file inside `rootDir`, or null when it must not be served.
 *
 * The decoded path is resolved and must stay under the root, so `..`, encoded slashes and
 * absolute paths cannot escape it.
 */
export function resolveAssetPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  return resolveStaticPath(rootDir, url.pathname);
}

/** Answers one app:// request (GET only). */
export async function serveAppRequest(rootDir: string, request: { url: string; method: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
  if (resolveAssetPath(rootDir, request.url) === null) return plain(404, 'not found');
  const found = await readStatic(rootDir, new URL(request.url).pathname);
  if (found.kind !== 'file') return plain(404, 'not found');
  return new Response(request.method === 'HEAD' ? null : found.body, {
    status: 200,
    headers: { ...securityHeadersFor(found.styleNonce), 'Content-Type': found.contentType },
  });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
