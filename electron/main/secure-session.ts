/**
 * Hardens a session: deny-all permissions and the shell's security headers on every response.
 *
 * The app:// handler already sets the headers; hooking `onHeadersReceived` as well covers the
 * Vite dev server and anything else the session might load, so no response escapes the CSP.
 */
import { withSecurityHeaders, type HeaderMap } from './csp';
import { denyAllPermissions, type PermissionSession } from './permissions';

/** The parts of Electron's Session this module configures. */
export interface SecurableSession extends PermissionSession {
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: { readonly responseHeaders?: HeaderMap },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** Applies both policies to `session`. */
export function secureSession(session: SecurableSession, log: (message: string) => void): void {
  denyAllPermissions(session, log);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withSecurityHeaders(details.responseHeaders),
        // Same value as CONTENT_SECURITY_POLICY, written out for scanners (see csp.ts).
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; frame-src 'none'; child-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ],
      },
    });
  });
}
