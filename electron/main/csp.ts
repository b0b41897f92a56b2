/**
 * The Content-Security-Policy the Electron shell enforces on every response.
 *
 * `renderer/index.html` carries a CSP meta tag too; browsers apply both and keep the stricter
 * result, so this header can only narrow what the page may do. The renderer is bundled local
 * code: it needs no inline script, no eval, no remote origin and no framing.
 */

/**
 * The policy as one header value.
 *
 * `secure-session.ts` repeats this literal at its `onHeadersReceived` callback so static
 * scanners can read it there; a test keeps the two identical.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; frame-src 'none'; child-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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
