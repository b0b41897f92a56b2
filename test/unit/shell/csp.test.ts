import { mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../../electron/hosts/renderer-files';
import { resolveAssetPath, serveAppRequest } from '../../../electron/main/app-protocol';
import {
  PAGE_META_CONTENT_SECURITY_POLICY,
  PAGE_NONCE_PLACEHOLDER,
  appContentSecurityPolicy,
  contentSecurityPolicy,
  pageMetaContentSecurityPolicy,
  pageWithNonce,
  webBridgeOrigins,
  webContentSecurityPolicy,
} from '../../../electron/common/csp';
import { readStatic } from '../../../electron/hosts/renderer-files';
import { CONTENT_SECURITY_POLICY, withSecurityHeaders } from '../../../electron/main/csp';
// Removed after the file by test/support/remove-temp-dirs.ts.
import { makeTempDir } from '../../support/temp-dirs';

/** Sources that would let a page run injected or remote code. */
function unsafeSources(policy: string): string[] {
  return policy
    .split(';')
    .flatMap((directive) => directive.trim().split(/\s+/).slice(1))
    .filter((source) => /unsafe-|^\*$|^https?:|^wss?:|^blob:|^file:|\*/.test(source));
}

describe('content security policy', () => {
  it('allows only self (plus data: images) and forbids inline, eval, remote and framing', () => {
    expect(unsafeSources(CONTENT_SECURITY_POLICY)).toEqual([]);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("base-uri 'none'");
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self';/);
  });

  it('is built from one definition: the meta form drops only header-only directives, the web form adds only its bridge', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(contentSecurityPolicy());
    const directives = (policy: string) => policy.split('; ').map((d) => d.split(' ')[0]);
    expect(directives(PAGE_META_CONTENT_SECURITY_POLICY)).toEqual(directives(CONTENT_SECURITY_POLICY).filter((d) => d !== 'frame-ancestors'));
    expect(PAGE_META_CONTENT_SECURITY_POLICY).toContain(`style-src 'self' 'nonce-${PAGE_NONCE_PLACEHOLDER}';`);
    // The meta tag allows the loopback bridge on any port (each server's header names its own); nothing else outside self.
    expect(unsafeSources(PAGE_META_CONTENT_SECURITY_POLICY).filter((s) => !/^ws:\/\/(127\.0\.0\.1|localhost):\*$/.test(s))).toEqual([]);
    expect(PAGE_META_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    const web = webContentSecurityPolicy(8080);
    expect(web.replace(" ws://127.0.0.1:8080 ws://localhost:8080", '')).toBe(CONTENT_SECURITY_POLICY);
    expect(unsafeSources(web)).toEqual(['ws://127.0.0.1:8080', 'ws://localhost:8080']);
  });

  it('leaves room for a per-load style nonce, never unsafe-inline, and adds only loopback bridge origins', () => {
    const withNonce = contentSecurityPolicy({ styleNonce: 'abc123+/==' });
    expect(withNonce).toContain("style-src 'self' 'nonce-abc123+/=='");
    expect(withNonce.replace(" 'nonce-abc123+/=='", '')).toBe(CONTENT_SECURITY_POLICY);
    expect(() => contentSecurityPolicy({ styleNonce: "x' 'unsafe-inline" })).toThrow(/base64/);
    expect(() => contentSecurityPolicy({ connectOrigins: ['wss://evil.example'] })).toThrow(/loopback/);
    expect(() => contentSecurityPolicy({ connectOrigins: ['ws://127.0.0.1:80 https://evil.example'] })).toThrow(/loopback/);
    expect(webBridgeOrigins(4000)).toEqual(['ws://127.0.0.1:4000', 'ws://localhost:4000']);
  });

  it('the source page has no hand-written policy, only the marker the build replaces, and no inline script', () => {
    const html = readFileSync(join(__dirname, '../../../renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
    expect(html).toContain('<!-- content-security-policy meta tag: written at build time from electron/common/csp.ts -->');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // Where each load's style nonce goes, for CodeMirror's EditorView.cspNonce.
    expect(html).toContain(`<meta name="csp-nonce" nonce="${PAGE_NONCE_PLACEHOLDER}" />`);
  });

  it('fills every placeholder of a page with the nonce, and only with a base64 one', () => {
    const page = `<meta content="style-src 'self' 'nonce-${PAGE_NONCE_PLACEHOLDER}'"><meta name="csp-nonce" nonce="${PAGE_NONCE_PLACEHOLDER}">`;
    expect(pageWithNonce(page, 'AbC+/9==')).toBe(`<meta content="style-src 'self' 'nonce-AbC+/9=='"><meta name="csp-nonce" nonce="AbC+/9==">`);
    expect(() => pageWithNonce(page, '"><script>')).toThrow(/base64/);
    expect(pageMetaContentSecurityPolicy('AbC+/9==')).toBe(PAGE_META_CONTENT_SECURITY_POLICY.replace(PAGE_NONCE_PLACEHOLDER, 'AbC+/9=='));
  });

  it('keeps the app:// page its own nonce policy, but replaces any other policy that carries a nonce', () => {
    const own = appContentSecurityPolicy('AAAAAAAAAAAAAAAAAAAAAA==');
    expect(withSecurityHeaders({ 'Content-Security-Policy': [own] })['Content-Security-Policy']).toEqual([own]);
    for (const forged of [`${own}; style-src 'unsafe-inline'`, own.replace("'self' 'nonce-", "'self' 'unsafe-inline' 'nonce-"), "style-src 'nonce-AAAA'"]) {
      expect(withSecurityHeaders({ 'content-security-policy': forged })['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    }
  });

  it('replaces a response CSP header whatever its case, keeping other headers', () => {
    const merged = withSecurityHeaders({
      'content-security-policy': ["default-src *"],
      'X-Other': 'kept',
    });
    expect(merged['content-security-policy']).toBeUndefined();
    expect(merged['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(merged['X-Other']).toEqual(['kept']);
    expect(withSecurityHeaders(undefined)['X-Content-Type-Options']).toEqual(['nosniff']);
  });
});

describe('app:// protocol', () => {
  it('serves files under the renderer folder with the CSP header', async () => {
    const root = makeTempDir();
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><p>hi</p>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');

    const page = await serveAppRequest(root, { url: 'app://qmp-monitor/index.html', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const header = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(header)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(header).toBe(appContentSecurityPolicy(nonce));
    expect(await page.text()).toContain('<p>hi</p>');
    // Other files carry the policy without a nonce: only the page gets one.
    expect((await serveAppRequest(root, { url: 'app://qmp-monitor/assets/app.js', method: 'GET' })).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const script = await serveAppRequest(root, { url: 'app://qmp-monitor/assets/app.js?v=1', method: 'GET' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const root2 = await serveAppRequest(root, { url: 'app://qmp-monitor/', method: 'GET' });
    expect(await root2.text()).toContain('<p>hi</p>');
  });

  it('never serves a file outside the renderer folder, and refuses other hosts, schemes and writes', async () => {
    const parent = makeTempDir();
    const root = join(parent, 'renderer');
    await mkdir(root);
    await writeFile(join(root, 'index.html'), 'x');
    await writeFile(join(parent, 'secret.txt'), 'SECRET');
    for (const url of [
      'app://qmp-monitor/../secret.txt',
      'app://qmp-monitor/%2e%2e/secret.txt',
      'app://qmp-monitor/..%2fsecret.txt',
      'app://qmp-monitor/assets/..%2f..%2fsecret.txt',
      'app://qmp-monitor/a%5c..%5c..%5csecret.txt',
      'app://qmp-monitor/%00index.html',
      'app://qmp-monitor/%E0%A4%A',
      'app://evil/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const file = resolveAssetPath(root, url);
      expect(file === null || file.startsWith(root + sep), `${url} -> ${String(file)}`).toBe(true);
      const response = await serveAppRequest(root, { url, method: 'GET' });
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('SECRET');
    }
    expect(resolveAssetPath(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAssetPath(root, 'app://qmp-monitor/%2e%2e%2fsecret.txt')).toBeNull();
    expect((await serveAppRequest(root, { url: 'app://qmp-monitor/nope.js', method: 'GET' })).status).toBe(404);
    expect((await serveAppRequest(root, { url: 'app://qmp-monitor/index.html', method: 'POST' })).status).toBe(405);
    expect(contentTypeFor('/x/y.unknown')).toBe('application/octet-stream');
  });
});

describe('the per-load style nonce', () => {
  it('is fresh on every load of the page, the same in the header and the page, and never unsafe-inline', async () => {
    const root = makeTempDir();
    await writeFile(join(root, 'index.html'), `<meta http-equiv="Content-Security-Policy" content="${PAGE_META_CONTENT_SECURITY_POLICY}" /><meta name="csp-nonce" nonce="${PAGE_NONCE_PLACEHOLDER}" />`);
    const seen = new Set<string>();
    for (let load = 0; load < 5; load++) {
      const response = await serveAppRequest(root, { url: 'app://qmp-monitor/', method: 'GET' });
      const header = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(header)?.[1] ?? '';
      const body = await response.text();
      expect(header).not.toContain('unsafe-inline');
      expect(body).toContain(`content="${pageMetaContentSecurityPolicy(nonce)}"`);
      expect(body).toContain(`<meta name="csp-nonce" nonce="${nonce}" />`);
      expect(body).not.toContain(PAGE_NONCE_PLACEHOLDER);
      seen.add(nonce);
    }
    expect(seen.size).toBe(5);
    const file = await readStatic(root, '/index.html');
    expect(file.kind === 'file' && file.styleNonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
