/**
 * The security headers the Electron shell puts on every response it serves or receives.
 *
 * The policy itself is defined once, in electron/common/csp.ts; this file only adds the
 * Electron-side header handling. `renderer/index.html` gets a meta tag from the same
 * definition at build time; browsers apply both and keep the stricter result.
 */
import { APP_CONTENT_SECURITY_POLICY, appContentSecurityPolicy } from '../common/csp';

/** The shell's policy as one header value (from the one definition). */
export const CONTENT_SECURITY_POLICY = APP_CONTENT_SECURITY_POLICY;

/** Extra headers that make the renderer's responses harder to misuse. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** The headers of one response: the page's carry its own load's style nonce. */
export function securityHeadersFor(styleNonce: string | undefined): Record<string, string> {
  return styleNonce === undefined ? { ...SECURITY_HEADERS } : { ...SECURITY_HEADERS, 'Content-Security-Policy': appContentSecurityPolicy(styleNonce) };
}

const NONCE_SOURCE = /'nonce-([A-Za-z0-9+/_-]+={0,2})'/;

/**
 * The nonce of a response's CSP when that CSP is exactly ours with a style nonce (what the
 * app:// handler sent for a page), else undefined: any other policy is replaced.
 */
function ownNonce(headers: HeaderMap | undefined): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') continue;
    const values = typeof value === 'string' ? [value] : value;
    const policy = values.length === 1 ? values[0]! : '';
    const nonce = NONCE_SOURCE.exec(policy)?.[1];
    return nonce !== undefined && policy === appContentSecurityPolicy(nonce) ? nonce : undefined;
  }
  return undefined;
}

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

/**
 * Returns `headers` with the shell's security headers replacing any of the same name.
 *
 * A page the app:// handler served already carries our policy with its load's nonce; that one
 * is kept (rebuilt from the nonce, so nothing else can pass), or CodeMirror's styles would be
 * refused. Any other policy, a server's own included, is replaced by the nonce-less one.
 */
export function withSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const nonce = ownNonce(headers);
  const merged = withoutSecurityHeaders(headers);
  for (const [name, value] of Object.entries(securityHeadersFor(nonce))) merged[name] = [value];
  return merged;
}
