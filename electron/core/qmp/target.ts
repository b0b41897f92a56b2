/**
 * Reads and writes QMP target addresses as users type them.
 *
 * The CLI, the app's "add VM" box and settings files all carry targets as text, so one parser
 * decides what `unix:PATH`, a bare path, `tcp:HOST:PORT`, `HOST:PORT` and `[::1]:PORT` mean.
 */
import type { QmpTarget } from './types';

const TARGET_HELP = "expected 'unix:PATH', a socket path containing '/', 'tcp:HOST:PORT', 'HOST:PORT' or '[IPv6]:PORT'";

/**
 * Parses a target address.
 *
 * A text with a '/' and no `tcp:` prefix is a socket path, because host names never contain
 * one; everything else must end in `:PORT`. IPv6 hosts need brackets so the port is unambiguous.
 *
 * @throws Error with a message that quotes the input and lists the accepted forms.
 */
export function parseTarget(text: string): QmpTarget {
  const input = text.trim();
  if (input === '') throw new Error(`empty QMP target: ${TARGET_HELP}`);
  if (input.startsWith('unix:')) {
    const path = input.slice('unix:'.length);
    if (path === '') throw new Error(`QMP target '${text}' has no socket path after 'unix:'`);
    return { kind: 'unix', path };
  }
  if (input.startsWith('tcp:')) return parseHostPort(input.slice('tcp:'.length), text);
  if (input.includes('/')) return { kind: 'unix', path: input };
  return parseHostPort(input, text);
}

function parseHostPort(hostPort: string, original: string): QmpTarget {
  let host: string;
  let portText: string;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0 || hostPort[close + 1] !== ':') {
      throw new Error(`QMP target '${original}': an IPv6 address needs the form '[ADDRESS]:PORT'`);
    }
    host = hostPort.slice(1, close);
    portText = hostPort.slice(close + 2);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new Error(`QMP target '${original}' is not understood: ${TARGET_HELP}`);
    host = hostPort.slice(0, colon);
    portText = hostPort.slice(colon + 1);
    if (host.includes(':')) {
      throw new Error(`QMP target '${original}': write IPv6 addresses in brackets, e.g. '[::1]:4444'`);
    }
  }
  if (host === '') throw new Error(`QMP target '${original}' has no host before the port`);
  if (!/^\d{1,5}$/.test(portText)) throw new Error(`QMP target '${original}' has no valid port (a number 1-65535)`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new Error(`QMP target '${original}': port ${port} is outside 1-65535`);
  return { kind: 'tcp', host, port };
}

/**
 * Formats a target in the canonical prefixed form, which `parseTarget` reads back unchanged.
 *
 * The prefix is always written so that logs and settings never depend on the bare-path guess.
 */
export function formatTarget(target: QmpTarget): string {
  if (target.kind === 'unix') return `unix:${target.path}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `tcp:${host}:${target.port}`;
}
