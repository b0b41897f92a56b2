/**
 * The web bridge's defences: a per-run token, strict headers, and Host/Origin checks.
 *
 * The bridge can stop VMs, so it must not be reachable by other sites open in the same
 * browser (CSRF, cross-site WebSocket hijacking) or via DNS rebinding (a hostile name that
 * resolves to 127.0.0.1). Hence: the token from the printed URL is required, the Host header
 * must name loopback with our port, and a WebSocket's Origin must be our own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { webContentSecurityPolicy } from '../common/csp';

/** A fresh unguessable token for this run. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares tokens in constant time (the token guards VM control). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host header values that name this server (DNS-rebinding defence). */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** True when the Host header names this server. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** True when a WebSocket Origin is this server's own origin (the page it served). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/** A request target that is safe to route: its raw path (for the file reader) and its query. */
export interface RequestTarget {
  /** The path as sent (still percent-encoded), for `readStatic`, which decodes it itself. */
  readonly rawPath: string;
  /** The decoded path with empty segments dropped: what routing decisions compare. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/**
 * Splits a request line's target into path and query without `new URL`, or null (answer 400).
 *
 * `new URL('//[', base)` throws (a leading `//` starts an authority), and one unparseable line
 * must not stop the server. Only origin-form targets (`/path?query`) are served; a path that
 * does not percent-decode is refused rather than guessed at. `path` is decoded and normalised
 * (`/%2findex.html` and `/index.html/` are both `/index.html`), so a check on it cannot be
 * dodged by spelling the same file differently.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | null {
  if (target === undefined || !target.startsWith('/')) return null;
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const path = `/${decoded.split('/').filter((segment) => segment !== '').join('/')}`;
  return { rawPath, path, query: new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)) };
}

/** Headers on every HTTP response; the CSP is the app's, plus this server's exact bridge origins. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': webContentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in the page URL: never leak it to another site in a Referer header.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
