/** Pure checks of the web bridge's defences (the server-level behaviour is in test/integration/web-bridge.test.ts). */
import { describe, expect, it } from 'vitest';
import { hostAllowed, originAllowed, parseRequestTarget, tokenMatches } from '../../../electron/web/security';
import { resolveStaticPath } from '../../../electron/hosts/renderer-files';

describe('resolveStaticPath', () => {
  it('maps paths inside the root and index.html for /', () => {
    expect(resolveStaticPath('/srv/r', '/')).toBe('/srv/r/index.html');
    expect(resolveStaticPath('/srv/r', '/assets/a%20b.js')).toBe('/srv/r/assets/a b.js');
  });

  it('refuses every escape and malformed encoding', () => {
    for (const path of ['/../etc/passwd', '/a/../../x', '/%2e%2e/x', '/..%2fx', '/a%00b', '/a%5c..%5cb', '/%E0%A4%A', '/./index.html']) {
      expect(resolveStaticPath('/srv/r', path), path).toBeNull();
    }
  });
});

describe('host, origin and token checks', () => {
  it('accepts only loopback names with our port', () => {
    expect(hostAllowed('127.0.0.1:8080', 8080)).toBe(true);
    expect(hostAllowed('LOCALHOST:8080', 8080)).toBe(true);
    expect(hostAllowed('127.0.0.1:8081', 8080)).toBe(false);
    expect(hostAllowed('evil.example:8080', 8080)).toBe(false);
    expect(hostAllowed(undefined, 8080)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(originAllowed('http://localhost:8080', 8080)).toBe(true);
    expect(originAllowed('https://127.0.0.1:8080', 8080)).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080.evil.example', 8080)).toBe(false);
    expect(originAllowed('null', 8080)).toBe(false);
    expect(originAllowed(undefined, 8080)).toBe(false);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'ab')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });
});

describe('parseRequestTarget', () => {
  it('decodes and normalises the path, so one file has one spelling', () => {
    for (const target of ['/index.html', '/index.html/', '/%2findex.html', '//index.html', '/%2Findex.html?x=1', '/index%2ehtml']) {
      expect(parseRequestTarget(target)?.path, target).toBe('/index.html');
    }
    expect(parseRequestTarget('/')?.path).toBe('/');
    expect(parseRequestTarget('/%62ridge?token=abc')).toMatchObject({ path: '/bridge', rawPath: '/%62ridge' });
    expect(parseRequestTarget('/?token=a%2Bb&token=c')?.query.get('token')).toBe('a+b');
    expect(parseRequestTarget('/?token=%')?.query.get('token')).toBe('%');
  });

  it('refuses what does not decode or is not a path, without throwing', () => {
    for (const target of ['//[', '//%', '//a:b@[', '/%', '/%E0%A4%A', '/a%zz', '*', 'http://127.0.0.1/', '', undefined]) {
      expect(() => parseRequestTarget(target), String(target)).not.toThrow();
      if (target !== '//[' && target !== '//a:b@[') expect(parseRequestTarget(target), String(target)).toBeNull();
    }
    // Not URL syntax, but a plain path naming no file: the file reader answers 404.
    expect(parseRequestTarget('//[')?.path).toBe('/[');
    expect(parseRequestTarget('//a:b@[')?.path).toBe('/a:b@[');
  });
});
