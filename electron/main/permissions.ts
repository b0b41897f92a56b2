/**
 * Denies every permission request and check (checklist item 5).
 *
 * The monitor needs no camera, notifications, geolocation or clipboard-read; Chromium's
 * default would grant some of them silently, so the session answers "no" to all.
 */

/** The parts of Electron's Session the policy configures. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

/** Installs deny-all handlers; `log` hears about every request. */
export function denyAllPermissions(session: PermissionSession, log: (message: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`permission request denied: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
