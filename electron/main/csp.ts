/**
 * The Content-Security-Policy the Electron shell enforces on every response.
 *
 * `renderer/index.html` carries a CSP meta tag too; browsers apply both and keep the stricter
 * result, so this header can only narrow what the page may do. The renderer is bundled local
 * code: it needs no inline script, no eval, no remote origin and no framing.
 */

/** Directives of the shell's policy; `'self'` is the app:// origin (or the Vite dev server). */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'child-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** The policy as one header value. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');

/** Extra headers that make the renderer's responses harder to misuse. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Response headers as Electron's `onHeadersReceived` passes them. */
export type HeaderMap = Readonly<Record<string, string | readonly string[]>>;

/**
 * Returns `headers` with the shell's security headers replacing any of the same name.
 *
 * Header names compare case-insensitively, so a server's own `content-security-policy`
 * cannot survive next to ours and loosen the page.
 */
export function withSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((name) => name.toLowerCase()));
  const merged: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!ours.has(name.toLowerCase())) merged[name] = typeof value === 'string' ? [value] : [...value];
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) merged[name] = [value];
  return merged;
}
