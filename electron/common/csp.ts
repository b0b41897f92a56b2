/**
 * The app's Content-Security-Policy: the one definition every host derives its policy from.
 *
 * Three things send it: the Electron shell (the app:// handler's header and the session's
 * `onHeadersReceived`), the `npm run web` server (its HTTP header) and the page itself (the
 * meta tag that electron.vite.config.ts writes into index.html at build time). Each asks this
 * module, so they cannot drift apart. The renderer is bundled local code: it needs no inline
 * script or style, no eval, no remote origin and no framing, so none is ever allowed here;
 * the host-specific parts are which WebSocket origins `connect-src` adds and the per-load
 * style nonce.
 *
 * Why a nonce: CodeMirror (the console's editor) writes its styles into `<style>` tags at run
 * time. Each load of index.html gets a fresh random nonce in `style-src` (header and meta tag)
 * and on a `<meta name="csp-nonce">` the page reads for `EditorView.cspNonce`, so only tags
 * carrying this load's nonce apply; `'unsafe-inline'` is never allowed. The built page holds
 * {@link PAGE_NONCE_PLACEHOLDER} where the nonce goes; the one function that serves it
 * (`electron/hosts/renderer-files.ts`) replaces it with {@link pageWithNonce}.
 */

/** How the policy reaches the page; a meta tag cannot carry every directive. */
export type CspDelivery = 'header' | 'meta';

/** What varies between hosts and loads. */
export interface CspOptions {
  /** Header (default) or meta tag. */
  readonly delivery?: CspDelivery;
  /** Extra `connect-src` origins (the web bridge's, from {@link webBridgeOrigins}). */
  readonly connectOrigins?: readonly string[];
  /**
   * The per-load nonce allowed in `style-src` (base64), for the page response that carries it.
   * A nonce narrows inline style to the tags that carry it, never `'unsafe-inline'`.
   */
  readonly styleNonce?: string;
}

/** The directives, in the order they are written. */
const BASE_POLICY: ReadonlyArray<readonly [directive: string, sources: readonly string[]]> = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['worker-src', ["'self'"]],
  ['object-src', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['child-src', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
];

/**
 * Directives a browser ignores (and warns about) in a meta tag (CSP3 §3.3); the headers
 * carry them.
 */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

const NONCE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const WS_ORIGIN = /^ws:\/\/(127\.0\.0\.1|localhost):(\d{1,5}|\*)$/;

/** Builds the policy for one host (and, later, one load). */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const { delivery = 'header', connectOrigins = [], styleNonce } = options;
  for (const origin of connectOrigins) {
    // Only the loopback bridge may be added: anything else would be a remote origin.
    if (!WS_ORIGIN.test(origin)) throw new Error(`not a loopback WebSocket origin: ${origin}`);
  }
  if (styleNonce !== undefined && !NONCE.test(styleNonce)) throw new Error('a style nonce must be base64');
  return BASE_POLICY.filter(([directive]) => delivery === 'header' || !HEADER_ONLY.has(directive))
    .map(([directive, sources]) => {
      const extra =
        directive === 'connect-src' ? connectOrigins : directive === 'style-src' && styleNonce !== undefined ? [`'nonce-${styleNonce}'`] : [];
      return [directive, ...sources, ...extra].join(' ');
    })
    .join('; ');
}

/**
 * The origins the `npm run web` page opens its bridge WebSocket to.
 *
 * Both names the server accepts in Host (127.0.0.1 and localhost), with its port; `'*'` is
 * for the page's meta tag, written at build time before any port is known (each server's
 * header then narrows it to its own port, since a browser enforces both policies).
 */
export function webBridgeOrigins(port: number | '*'): string[] {
  return [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`];
}

/** The policy of the Electron shell: nothing beyond the app's own origin. */
export const APP_CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The Electron shell's policy for the page response that carries `styleNonce`. */
export function appContentSecurityPolicy(styleNonce?: string): string {
  return contentSecurityPolicy(styleNonce === undefined ? {} : { styleNonce });
}

/** The policy the `npm run web` server on `port` sends (with the page's nonce on the page). */
export function webContentSecurityPolicy(port: number, styleNonce?: string): string {
  return contentSecurityPolicy({ connectOrigins: webBridgeOrigins(port), ...(styleNonce === undefined ? {} : { styleNonce }) });
}

/**
 * Where the built page holds its per-load nonce (in the meta policy and the `csp-nonce` meta
 * tag). Never a valid nonce in a served page: {@link pageWithNonce} replaces every copy, and
 * the renderer ignores a nonce equal to it.
 */
export const PAGE_NONCE_PLACEHOLDER = 'QMP_MONITOR_STYLE_NONCE';

/** The policy in the page's meta tag (either host may serve the page), nonce still to fill in. */
export const PAGE_META_CONTENT_SECURITY_POLICY = contentSecurityPolicy({
  delivery: 'meta',
  connectOrigins: webBridgeOrigins('*'),
  styleNonce: PAGE_NONCE_PLACEHOLDER,
});

/** The meta policy as a page served with `styleNonce` carries it. */
export function pageMetaContentSecurityPolicy(styleNonce: string): string {
  return contentSecurityPolicy({ delivery: 'meta', connectOrigins: webBridgeOrigins('*'), styleNonce });
}

/**
 * The built page's text with this load's nonce in place of every placeholder.
 *
 * @throws Error when the nonce is not base64 (it goes into an attribute and a policy).
 */
export function pageWithNonce(html: string, styleNonce: string): string {
  if (!NONCE.test(styleNonce)) throw new Error('a style nonce must be base64');
  return html.split(PAGE_NONCE_PLACEHOLDER).join(styleNonce);
}
