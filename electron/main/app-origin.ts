/**
 * Where the renderer is served from, and how to tell our own URLs from anything else.
 *
 * Packaged and built runs serve `out/renderer` from the privileged `app://` scheme; `npm run
 * dev` points `ELECTRON_RENDERER_URL` at the Vite server instead. Every trust decision
 * (IPC senders, navigation) compares against this one origin.
 */

/** Custom scheme registered as standard + secure before the app is ready. */
export const APP_SCHEME = 'app';
/** Host part of app:// URLs; any fixed name works, it only has to be stable. */
export const APP_HOST = 'qmp-monitor';
/** Entry page in production. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Picks the entry URL: the Vite dev server when given, else the app:// page. */
export function resolveEntryUrl(devServerUrl: string | undefined): string {
  if (devServerUrl !== undefined && devServerUrl !== '') {
    const parsed = parseUrl(devServerUrl);
    // Only a loopback dev server may stand in for the bundled renderer.
    if (parsed && parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed.href;
  }
  return APP_ENTRY_URL;
}

/**
 * True when `url` has the same scheme, host and port as `entryUrl`.
 *
 * `URL.origin` is the opaque "null" for non-special schemes such as app://, so the parts are
 * compared one by one. Unparseable input is never ours.
 */
export function isAppUrl(url: unknown, entryUrl: string): boolean {
  if (typeof url !== 'string') return false;
  const candidate = parseUrl(url);
  const entry = parseUrl(entryUrl);
  if (!candidate || !entry) return false;
  return (
    candidate.protocol === entry.protocol &&
    candidate.host === entry.host &&
    candidate.username === '' &&
    candidate.password === ''
  );
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
