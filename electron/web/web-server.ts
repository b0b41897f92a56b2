/**
 * The loopback HTTP + WebSocket server of `npm run web`.
 *
 * Serves the built renderer and the bridge on 127.0.0.1 only. The page at `/` and the
 * WebSocket at `/bridge` both need the run's token; static assets do not (they are the public
 * app bundle and the browser fetches them without query strings).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { MonitorServiceHandle } from '../core/service/service-types';
import { hostAllowed, newToken, originAllowed, parseRequestTarget, securityHeaders, tokenMatches } from './security';
import { webContentSecurityPolicy } from '../common/csp';
import { readStatic, resolveStaticPath } from '../hosts/renderer-files';
import { MAX_REQUEST_BYTES, serveBridgeSocket } from './ws-bridge';

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  readonly service: MonitorServiceHandle;
  /** Folder with the built renderer (index.html + assets). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly token?: string;
}

/** A running server. */
export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts listening on 127.0.0.1 and resolves once the port is bound. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken();
  let port = 0;
  // Hard cap is above our own limit so a too-big request gets an answer, not a dropped socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES * 4 });
  wss.on('connection', (socket) => serveBridgeSocket(socket, options.service));

  // A handler that throws must cost one request, never the process (an unhandled rejection
  // would end `npm run web`), so each one is caught here and answered 500 if it still can be.
  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (res.headersSent) return void res.destroy();
      try {
        res.writeHead(500, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error');
      } catch {
        res.destroy();
      }
    });
  });
  const pageFile = resolveStaticPath(options.rendererDir, '/');
  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders(port);
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
    };
    if (!hostAllowed(req.headers.host, port)) return reply(403, 'Forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method not allowed');
    const target = parseRequestTarget(req.url);
    if (!target) return reply(400, 'Bad request: the path is not a valid percent-encoded path');
    // Whatever spelling names the page file (`/`, `/index.html/`, `/%2findex.html`), it needs the token.
    const isPage = resolveStaticPath(options.rendererDir, target.rawPath) === pageFile;
    if (isPage && !tokenMatches(token, target.query.get('token'))) {
      return reply(403, 'Forbidden: open the URL that `npm run web` printed (it carries this run\'s token)');
    }
    const file = await readStatic(options.rendererDir, target.rawPath);
    if (file.kind === 'not-found') {
      return reply(isPage ? 503 : 404, isPage ? 'The renderer is not built: run `npm run build` first' : 'Not found');
    }
    res.writeHead(200, {
      ...headers,
      // A page carries its own load's style nonce (see electron/hosts/renderer-files.ts).
      ...(file.styleNonce !== undefined ? { 'Content-Security-Policy': webContentSecurityPolicy(port, file.styleNonce) } : {}),
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // An exception here would be thrown from the server's 'upgrade' emit and end the process.
    try {
      const target = parseRequestTarget(req.url);
      if (!target) return refuse('400 Bad Request');
      if (target.path !== '/bridge') return refuse('404 Not Found');
      if (!hostAllowed(req.headers.host, port)) return refuse('403 Forbidden');
      if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
      if (!tokenMatches(token, target.query.get('token'))) return refuse('403 Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      if (!socket.destroyed) refuse('400 Bad Request');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
