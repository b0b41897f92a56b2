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
  contentSecurityPolicy,
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
    const metaAt = html.search(/<meta\s+http-equiv="Content-Security-Policy"/i);
    expect(metaAt).toBeLessThan(html.search(/<script|<link rel="stylesheet"/i));
    // The source page holds no hand-written copy, only the place for the generated one.
    expect(metaPolicies(readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8'))).toEqual([]);
  });

  it('the npm run web process sends the web policy with its own exact bridge origins, and serves the same meta', async () => {
    const bundle = await buildWebBundle();
    const dataDir = makeTempDir('qmp-csp-web-');
    tempDirs.push(dirname(bundle), dataDir);
    builtPage();
    const server = await startWebServer([], { bundle, dataDir });
    try {
      const { header, body } = await new Promise<{ header: unknown; body: string }>((resolveGet, reject) => {
        get({ host: '127.0.0.1', port: server.port, path: `/?token=${server.token}` }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolveGet({ header: res.headers['content-security-policy'], body: text }));
        }).on('error', reject);
      });
      expect(header).toBe(webContentSecurityPolicy(server.port));
      expect(header).toBe(contentSecurityPolicy({ connectOrigins: webBridgeOrigins(server.port) }));
      expect(header).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port};`);
      expect(metaPolicies(body)).toEqual([PAGE_META_CONTENT_SECURITY_POLICY]);
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
      for (const url of ['app://qmp-monitor/index.html', 'app://qmp-monitor/no-such-file.js']) {
        const response = await handler!(new Request(url));
        expect(response.headers.get('content-security-policy'), url).toBe(APP_CONTENT_SECURITY_POLICY);
      }
      let answer: { responseHeaders?: Record<string, string[]> } | undefined;
      const listener = electronMock.session.defaultSession.headersListener as (details: unknown, callback: (r: typeof answer) => void) => void;
      listener({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (response) => (answer = response));
      expect(answer?.responseHeaders).toMatchObject({ 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY] });
      expect(Object.keys(answer?.responseHeaders ?? {}).filter((name) => name.toLowerCase() === 'content-security-policy')).toHaveLength(1);
    } finally {
      process.argv = savedArgv;
      const quits = electronMock.app.quitCalls;
      electronMock.app.emit('window-all-closed');
      await waitFor(() => electronMock.app.quitCalls > quits, 'the app to quit after disposing', 20_000);
      resetElectronMock();
    }
  });
});
