/**
 * What each host really sends as its Content-Security-Policy equals the one definition in
 * electron/common/csp.ts: the Electron shell's app:// handler and session hook (main process
 * run with `electron` mocked), the real `npm run web` process's header, and the meta tag of
 * the built page (out/renderer, from `npx electron-vite build`), read from disk and as served.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  PAGE_META_CONTENT_SECURITY_POLICY,
  PAGE_NONCE_PLACEHOLDER,
  appContentSecurityPolicy,
  contentSecurityPolicy,
  pageMetaContentSecurityPolicy,
  webBridgeOrigins,
  webContentSecurityPolicy,
} from '../../electron/common/csp';
import { electronMock, resetElectronMock } from '../support/electron-mock';
import { makeTempDir, waitFor } from '../support/qemu';
import { RENDERER_DIR, buildWebBundle, startWebServer } from '../support/web-server';

vi.mock('electron', async () => (await import('../support/electron-mock')).electronMock);

const BUILT_PAGE = join(RENDERER_DIR, 'index.html');
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The content of the page's CSP meta tag(s). */
function metaPolicies(html: string): string[] {
  return [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1]!);
}

function builtPage(): string {
  if (!existsSync(BUILT_PAGE)) throw new Error(`${BUILT_PAGE} is missing: run npx electron-vite build first`);
  return readFileSync(BUILT_PAGE, 'utf8');
}

describe('one Content-Security-Policy for every host', () => {
  it('the built page carries exactly the meta policy of the definition, before any script or style', () => {
    const html = builtPage();
    expect(metaPolicies(html)).toEqual([PAGE_META_CONTENT_SECURITY_POLICY]);
    // The nonce's places, filled in per load by the host (electron/hosts/renderer-files.ts).
    expect(html).toContain(`<meta name="csp-nonce" nonce="${PAGE_NONCE_PLACEHOLDER}" />`);
    const metaAt = html.search(/<meta\s+http-equiv="Content-Security-Policy"/i);
    expect(metaAt).toBeLessThan(html.search(/<script|<link rel="stylesheet"/i));
    // The source page holds no hand-written copy, only the place for the generated one.
    expect(metaPolicies(readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8'))).toEqual([]);
  });

  it('the npm run web process sends the web policy with its own exact bridge origins and a fresh nonce per load, the same as in its meta', async () => {
    const bundle = await buildWebBundle();
    const dataDir = makeTempDir('qmp-csp-web-');
    tempDirs.push(dirname(bundle), dataDir);
    builtPage();
    const server = await startWebServer([], { bundle, dataDir });
    const load = (path: string) =>
      new Promise<{ header: string; body: string }>((resolveGet, reject) => {
        get({ host: '127.0.0.1', port: server.port, path }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolveGet({ header: String(res.headers['content-security-policy']), body: text }));
        }).on('error', reject);
      });
    try {
      const nonces: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const { header, body } = await load(`/?token=${server.token}`);
        const nonce = /'nonce-([^']+)'/.exec(header)?.[1] ?? '';
        expect(header).toBe(webContentSecurityPolicy(server.port, nonce));
        expect(header).toBe(contentSecurityPolicy({ connectOrigins: webBridgeOrigins(server.port), styleNonce: nonce }));
        expect(header).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port};`);
        expect(header).not.toContain('unsafe-inline');
        expect(metaPolicies(body)).toEqual([pageMetaContentSecurityPolicy(nonce)]);
        expect(body).toContain(`<meta name="csp-nonce" nonce="${nonce}" />`);
        nonces.push(nonce);
      }
      expect(new Set(nonces).size).toBe(3);
      // Files other than the page carry the policy without any nonce.
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(builtPage())?.[1];
      expect((await load(`/${script}`)).header).toBe(webContentSecurityPolicy(server.port));
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('the Electron shell sends the app policy from its app:// handler and its session hook', async () => {
    resetElectronMock();
    const dataDir = makeTempDir('qmp-csp-shell-');
    tempDirs.push(dataDir);
    const savedArgv = process.argv;
    process.argv = ['/opt/qmp-monitor/qmp-monitor', '--data-dir', dataDir];
    try {
      vi.resetModules();
      await import('../../electron/main/index');
      await waitFor(() => electronMock.BrowserWindow.instances[0]?.loadedUrl !== undefined, 'the window to load');
      const handler = electronMock.protocol.handlers.get('app');
      expect(handler).toBeDefined();
      // (A served page's header adds its load's nonce: see the app:// tests in test/unit/shell/csp.test.ts.)
      const pageNonce = 'AAAAAAAAAAAAAAAAAAAAAA==';
      const missing = await handler!(new Request('app://qmp-monitor/no-such-file.js'));
      expect(missing.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
      let answer: { responseHeaders?: Record<string, string[]> } | undefined;
      const listener = electronMock.session.defaultSession.headersListener as (details: unknown, callback: (r: typeof answer) => void) => void;
      listener({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (response) => (answer = response));
      expect(answer?.responseHeaders).toMatchObject({ 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY] });
      expect(Object.keys(answer?.responseHeaders ?? {}).filter((name) => name.toLowerCase() === 'content-security-policy')).toHaveLength(1);
      // The page's own nonce policy survives the hook, or CodeMirror's styles would be refused.
      listener({ responseHeaders: { 'Content-Security-Policy': [appContentSecurityPolicy(pageNonce)] } }, (response) => (answer = response));
      expect(answer?.responseHeaders?.['Content-Security-Policy']).toEqual([appContentSecurityPolicy(pageNonce)]);
    } finally {
      process.argv = savedArgv;
      const quits = electronMock.app.quitCalls;
      electronMock.app.emit('window-all-closed');
      await waitFor(() => electronMock.app.quitCalls > quits, 'the app to quit after disposing', 20_000);
      resetElectronMock();
    }
  });
});
