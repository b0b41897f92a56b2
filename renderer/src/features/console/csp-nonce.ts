/**
 * This load's style nonce, for CodeMirror's run-time `<style>` tags (`EditorView.cspNonce`).
 *
 * The host that served the page wrote a fresh nonce on `<meta name="csp-nonce">` and in its
 * CSP (electron/hosts/renderer-files.ts). It is read from the `nonce` property, because
 * browsers hide the attribute once the page is parsed (so CSS selectors cannot leak it). A
 * page served without one (an unbuilt placeholder) gets none, and the editor is unstyled
 * rather than the policy loosened.
 */
import { PAGE_NONCE_PLACEHOLDER } from '../../../../electron/common/csp';

/** The nonce, or undefined when the page carries none. */
export function pageStyleNonce(doc: Document = document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]');
  if (!meta) return undefined;
  const nonce = meta.nonce || meta.getAttribute('nonce') || '';
  return nonce === '' || nonce === PAGE_NONCE_PLACEHOLDER ? undefined : nonce;
}
