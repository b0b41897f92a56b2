/**
 * The security headers the Electron shell puts on every response it serves or receives.
 *
 * The policy itself is defined once, in electron/common/csp.ts; this file only adds the
 * Electron-side header handling. `renderer/index.html` gets a meta tag from the same
 * definition at build time; browsers apply both and keep the stricter result.
 */
import { APP_CONTENT_SECURITY_POLICY } from '../common/csp';

/** The shell's policy as one header value (from the one definition). */
export const CONTENT_SECURITY_POLICY = APP_CONTENT_SECURITY_POLICY;

/** Extra headers that make the renderer's responses harder to misuse. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Response headers as Electron's `onHeadersReceived` passes them. */
export type HeaderMap = Readonly<Record<string, string | readonly string[]>>;

/**
 * Returns `headers` without any of the shell's security headers, whatever their case.
 *
 * A server's own `content-security-policy` must not survive next to ours and loosen the page.
 */
export function withoutSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((name) => name.toLowerCase()));
  const kept: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!ours.has(name.toLowerCase())) kept[name] = typeof value === 'string' ? [value] : [...value];
  }
  return kept;
}

/** Returns `headers` with the shell's security headers replacing any of the same name. */
export function withSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const merged = withoutSecurityHeaders(headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) merged[name] = [value];
  return merged;
}
