/**
 * Reads the built renderer (`out/renderer`) read-only, without leaving its folder.
 *
 * Shared by the Electron shell's `app://` protocol and the `npm run web` server, so both hosts
 * refuse exactly the same paths and label files the same way.
 *
 * Paths are decoded once, refused if they hold `..`, NUL or backslashes, and the resolved file
 * must still lie inside the root, so `/../../etc/passwd` in any encoding gets a 404.
 *
 * Every HTML response gets a fresh style nonce (see electron/common/csp.ts): it is written into
 * the page here and returned with it, so the host puts the same one in its CSP header. Both
 * hosts read pages only through {@link readStatic}, so no load can reuse another's nonce.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { pageWithNonce } from '../common/csp';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * A file to send, or why not. A page (HTML) carries `styleNonce`, the nonce written into it,
 * which the host's CSP header must allow.
 */
export type StaticResult =
  | { readonly kind: 'file'; readonly body: Buffer; readonly contentType: string; readonly styleNonce?: string }
  | { readonly kind: 'not-found' };

/** A fresh nonce: 128 random bits, base64 (what CSP3 asks for). */
export function newStyleNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Maps a URL path to a file under `root`, or null when it would escape it or is malformed. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rootDir = resolve(root);
  const file = resolve(rootDir, ...(segments.length > 0 ? segments : ['index.html']));
  return file.startsWith(rootDir + sep) ? file : null;
}

/** Reads the file for `urlPath`, with its content type. */
export async function readStatic(root: string, urlPath: string): Promise<StaticResult> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return { kind: 'not-found' };
  try {
    const info = await fs.stat(file);
    if (!info.isFile()) return { kind: 'not-found' };
    const body = await fs.readFile(file);
    const contentType = contentTypeFor(file);
    if (extname(file).toLowerCase() !== '.html') return { kind: 'file', body, contentType };
    const styleNonce = newStyleNonce();
    return { kind: 'file', body: Buffer.from(pageWithNonce(body.toString('utf8'), styleNonce)), contentType, styleNonce };
  } catch {
    return { kind: 'not-found' };
  }
}

/** Content type by extension; unknown files are served as opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
