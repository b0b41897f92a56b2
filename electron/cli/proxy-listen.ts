/**
 * Reads `qmp-monitor proxy --listen` values: `unix:PATH` or `tcp:127.0.0.1:PORT`.
 *
 * QMP has no authentication, so TCP is loopback only (anyone who reaches the port controls the
 * VM); port 0 picks a free one and the proxy prints which.
 */
import { UsageError } from './cli-errors';

/** One place the proxy listens. */
export type ProxyListen = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly port: number };

/** Parses one `--listen` value. */
export function parseListen(text: string): ProxyListen {
  if (text.startsWith('unix:') && text.length > 'unix:'.length) return { kind: 'unix', path: text.slice('unix:'.length) };
  const tcp = /^tcp:(.*):(\d{1,5})$/.exec(text);
  if (tcp) {
    if (tcp[1] !== '127.0.0.1') throw new UsageError(`bad --listen '${text}': TCP listens on 127.0.0.1 only (QMP has no authentication)`);
    const port = Number(tcp[2]);
    if (port > 65535) throw new UsageError(`bad --listen '${text}': port ${port} is outside 0-65535`);
    return { kind: 'tcp', port };
  }
  throw new UsageError(`bad --listen '${text}': expected unix:PATH or tcp:127.0.0.1:PORT`);
}

/** The --listen values, at most one of each kind (the multiplexer serves one path and one port). */
export function parseListens(texts: readonly string[]): readonly ProxyListen[] {
  const listens = texts.map(parseListen);
  if (listens.filter((l) => l.kind === 'unix').length > 1 || listens.filter((l) => l.kind === 'tcp').length > 1) {
    throw new UsageError('--listen takes at most one unix:PATH and one tcp:127.0.0.1:PORT');
  }
  return listens;
}
