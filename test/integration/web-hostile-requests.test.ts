/**
 * `npm run web` against hostile HTTP before any authentication: raw request lines, paths and
 * Host/Origin headers over a plain TCP socket, to the real built server process, on both the
 * plain HTTP path and the WebSocket upgrade path. Whatever arrives, the answer is a 4xx (or
 * the connection is closed by Node's own parser), and the process keeps serving.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from '../support/web-server';

const APP_JS = 'console.log("stand-in app")';
const tempDirs: string[] = [];
let server: TestWebServer;

beforeAll(async () => {
  const bundle = await buildWebBundle();
  tempDirs.push(dirname(bundle));
  const rendererDir = makeTempDir('qmp-web-hostile-renderer-');
  const dataDir = makeTempDir('qmp-web-hostile-data-');
  tempDirs.push(rendererDir, dataDir);
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>QMP Monitor</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS);
  server = await startWebServer([], { bundle, dataDir, env: { QMP_MONITOR_RENDERER_DIR: rendererDir } });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** What came back on a raw socket: the status code of the first final response, if any. */
interface RawReply {
  readonly status: number | null;
  readonly text: string;
}

/**
 * Writes one request and reads until the first final response (or the close).
 *
 * Every request {@link request} builds is complete (its parts hold no CR or LF, and it ends
 * with an empty line), so the server has all it needs to answer at once: one that never
 * answers is a failure at the deadline, not a hang. The socket is not half-closed, because
 * Node's server drops a response still being prepared when the client ends its side.
 */
function rawExchange(bytes: Buffer, deadlineMs = 5_000): Promise<RawReply> {
  return new Promise((resolveReply, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const finals = [...text.matchAll(/^HTTP\/1\.[01] (\d{3}) /gm)].map((m) => Number(m[1])).filter((code) => code >= 200);
      resolveReply({ status: finals[0] ?? null, text });
    };
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      reject(new Error(`no answer within ${deadlineMs} ms to ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`));
    }, deadlineMs);
    socket.on('connect', () => socket.write(bytes));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // A whole final response head (1xx interim answers do not count), and its body if it says how long.
      const head = /^HTTP\/1\.[01] [2-5]\d\d [^]*?\r\n\r\n/m.exec(text);
      if (!head) return;
      const length = /^Content-Length: (\d+)/im.exec(head[0]);
      if (length === null || text.length >= head.index + head[0].length + Number(length[1])) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
  });
}

/** Builds one complete request; CR and LF are taken out of every part so it cannot end early or late. */
function request(requestLine: string, headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const clean = (part: string): string => part.replace(/[\r\n]/g, ' ');
  const line = clean(requestLine).trim() === '' ? `X${clean(requestLine)}` : clean(requestLine);
  return Buffer.from(`${line}\r\n${headers.map(([name, value]) => `${clean(name)}: ${clean(value)}\r\n`).join('')}\r\n`, 'utf8');
}

const upgradeHeaders = (host: string): Array<[string, string]> => [
  ['Host', host],
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
];

/** The process is alive and still serves the page to the printed URL. */
async function expectStillServing(): Promise<void> {
  expect(server.process.exitCode, server.stderr()).toBeNull();
  expect(server.process.signalCode).toBeNull();
  const page = await rawExchange(request(`GET /?token=${server.token} HTTP/1.1`, [['Host', `127.0.0.1:${server.port}`], ['Connection', 'close']]));
  expect(page.status, page.text.slice(0, 200)).toBe(200);
  expect(page.text).toContain('<title>QMP Monitor</title>');
}

const CRASHERS = ['//[', '//%', '//a:b@[', '//[?token=x', '/%', '//%zz', 'http://[', '*'];

describe('npm run web before authentication', () => {
  it('answers the targets that used to kill it with a 4xx, on plain HTTP and on the upgrade, for any Host', async () => {
    const hosts = [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'evil.example', '['];
    for (const target of CRASHERS) {
      for (const host of hosts) {
        const plain = await rawExchange(request(`GET ${target} HTTP/1.1`, [['Host', host]]));
        expect(plain.status, `GET ${target} Host ${host}`).toBeGreaterThanOrEqual(400);
        expect(plain.status).toBeLessThan(500);
        const upgrade = await rawExchange(request(`GET ${target} HTTP/1.1`, [...upgradeHeaders(host), ['Origin', server.origin]]));
        expect(upgrade.status, `upgrade ${target} Host ${host}`).toBeGreaterThanOrEqual(400);
        expect(upgrade.status).toBeLessThan(500);
      }
    }
    await expectStillServing();
  });

  it('needs the token for every spelling of the page, and refuses undecodable paths with 400', async () => {
    const host: [string, string] = ['Host', `127.0.0.1:${server.port}`];
    for (const path of ['/', '/index.html', '/index.html/', '/%2findex.html', '//index.html', '/%2Findex.html/', '/index%2ehtml', '/?token=wrong']) {
      const reply = await rawExchange(request(`GET ${path} HTTP/1.1`, [host]));
      expect(reply.status, path).toBe(403);
      expect(reply.text).not.toContain('<title>');
    }
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js', `/%?token=${server.token}`]) {
      expect((await rawExchange(request(`GET ${path} HTTP/1.1`, [host]))).status, path).toBe(400);
    }
    for (const path of [`/index.html/?token=${server.token}`, `/%2findex.html?token=${server.token}`]) {
      expect((await rawExchange(request(`GET ${path} HTTP/1.1`, [host]))).status, path).toBe(200);
    }
    // The bridge path is the decoded one too: a respelled path cannot dodge its checks.
    const respelled = await rawExchange(request('GET /%62ridge/ HTTP/1.1', [...upgradeHeaders(host[1]), ['Origin', 'http://evil.example']]));
    expect(respelled.status).toBe(403);
    await expectStillServing();
  });

  // Characters that matter to URL parsers and to the path rules, so generated text hits them often.
  const urlChar = fc.constantFrom(...'/%[]@:?#\\.;&=+ ~!$\'()*,a0Z'.split(''), '%2f', '%2e', '%00', '%E0', '%zz', '//', '..', '\u00e9', '\u2028');
  const urlText = fc.array(urlChar, { maxLength: 24 }).map((parts) => parts.join(''));
  const target = fc.oneof(
    fc.constantFrom(...CRASHERS, '/', '/index.html', '/bridge', '/assets/app.js'),
    urlText.map((text) => `/${text}`),
    urlText.map((text) => `//${text}`),
    urlText,
    fc.string({ maxLength: 40, unit: 'binary' }),
  );
  const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'CONNECT', 'PRI'), fc.string({ minLength: 1, maxLength: 8 }));
  const version = fc.oneof(fc.constantFrom('HTTP/1.1', 'HTTP/1.0'), fc.string({ maxLength: 10 }));
  const hostValue = (port: number) =>
    fc.oneof(fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, '127.0.0.1', `[::1]:${port}`, '['), urlText, fc.string({ maxLength: 30, unit: 'binary' }));
  const originValue = (port: number) => fc.oneof(fc.constantFrom(`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'null', 'http://['), urlText);
  const optionalHeader = (name: string, value: fc.Arbitrary<string>) => fc.option(value.map((v): [string, string] => [name, v]), { nil: undefined });
  const extraHeader = fc.tuple(fc.oneof(fc.constantFrom('X-Forwarded-Host', 'Cookie', 'Sec-WebSocket-Protocol', 'Content-Length', 'Transfer-Encoding'), fc.string({ minLength: 1, maxLength: 12 })), fc.string({ maxLength: 30, unit: 'binary' }));

  /** A 4xx, or Node's parser closing a line it cannot read; a 200 only for the public asset. */
  function expectRefusedOrServed(reply: RawReply, line: string): void {
    if (reply.status === 200) {
      expect(reply.text, line).toMatch(/^Content-Type: text\/javascript/im);
      return;
    }
    if (reply.status !== null) {
      expect(reply.status, `${line} -> ${reply.text.slice(0, 120)}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, `${line} -> ${reply.text.slice(0, 120)}`).toBeLessThan(500);
    }
  }

  it('survives generated request lines, paths and Host/Origin headers, on HTTP and on the upgrade', async () => {
    const port = server.port;
    const cases = fc.record({
      requestLine: fc.oneof(
        fc.tuple(method, target, version).map(([m, t, v]) => `${m} ${t} ${v}`),
        fc.string({ maxLength: 60, unit: 'binary' }),
      ),
      host: optionalHeader('Host', hostValue(port)),
      origin: optionalHeader('Origin', originValue(port)),
      extra: fc.array(extraHeader, { maxLength: 2 }),
      upgrade: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ requestLine, host, origin, extra, upgrade }) => {
        const headers = [
          ...(upgrade ? upgradeHeaders(host?.[1] ?? '').filter(([name]) => name !== 'Host' || host !== undefined) : host ? [host] : []),
          ...(origin ? [origin] : []),
          ...extra,
        ];
        const reply = await rawExchange(request(requestLine, headers));
        expectRefusedOrServed(reply, requestLine);
        expect(server.process.exitCode, server.stderr()).toBeNull();
      }),
      { numRuns: 300, seed: 20240611 },
    );
    await expectStillServing();
    expect(server.stderr()).toBe('');
  });
});
