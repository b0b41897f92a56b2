/**
 * The web bridge's defences: a per-run token, strict headers, and Host/Origin checks.
 *
 * The bridge can stop VMs, so it must not be reachable by other sites open in the same
 * browser (CSRF, cross-site WebSocket hijacking) or via DNS rebinding (a hostile name that
 * resolves to 127.0.0.1). Hence: the token from the printed URL is required, the Host header
 * must name loopback with our port, and a WebSocket's Origin must be our own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

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

/** The same Content-Security-Policy the Electron app uses, with our exact WebSocket origins. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers on every HTTP response. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The token is in the page URL: never leak it to another site in a Referer header.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
