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
    // The policy comes from its one definition (electron/common/csp.ts), never a copy here.
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
  });
}
