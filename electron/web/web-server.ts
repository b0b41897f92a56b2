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
import type { MonitorServiceHandle } from '../core/service-types';
import { hostAllowed, newToken, originAllowed, securityHeaders, tokenMatches } from './security';
import { readStatic } from '../core/renderer-files';
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

  const server = createServer((req, res) => void handleHttp(req, res));
  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders(port);
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
    };
    if (!hostAllowed(req.headers.host, port)) return reply(403, 'Forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    if (isPage && !tokenMatches(token, url.searchParams.get('token'))) {
      return reply(403, 'Forbidden: open the URL that `npm run web` printed (it carries this run\'s token)');
    }
    const file = await readStatic(options.rendererDir, url.pathname);
    if (file.kind === 'not-found') {
      return reply(isPage ? 503 : 404, isPage ? 'The renderer is not built: run `npm run build` first' : 'Not found');
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/bridge') return refuse('404 Not Found');
    if (!hostAllowed(req.headers.host, port)) return refuse('403 Forbidden');
    if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuse('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
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
