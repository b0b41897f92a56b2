/**
 * Locks every WebContents to the app: no navigation away, no new windows, no webviews.
 *
 * The renderer shows untrusted text (VM names, QMP output); if a link or injected markup ever
 * slipped through, it still could not take the window elsewhere. External links are denied
 * too, deliberately: nothing in the UI needs to open a browser, and `shell.openExternal` with
 * untrusted URLs is a classic escape (checklist item 15), so the shell never calls it.
 */
import { isAppUrl } from './app-origin';

/** A cancellable Electron event. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the policy hooks into. */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Navigation is allowed only within the app's own origin (e.g. a reload or hash change).
 *
 * Anything unparseable or foreign is refused.
 */
export function isNavigationAllowed(url: unknown, entryUrl: string): boolean {
  return isAppUrl(url, entryUrl);
}

/** Applies the policy; `log` hears about every refusal. */
export function applyNavigationPolicy(
  contents: GuardableContents,
  entryUrl: string,
  log: (message: string) => void,
): void {
  const guard = (kind: string) => (event: PreventableEvent, url: string) => {
    if (isNavigationAllowed(url, entryUrl)) return;
    event.preventDefault();
    log(`${kind} blocked: ${String(url).slice(0, 200)}`);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`new window blocked: ${String(url).slice(0, 200)}`);
    return { action: 'deny' };
  });
}
