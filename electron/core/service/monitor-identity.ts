/**
 * Which QEMU monitor a target reaches, so one monitor is never added twice under two spellings.
 *
 * QEMU serves one QMP client per monitor: a second session on the same monitor never gets its
 * greeting and cycles through reconnects forever. Comparing target *text* misses
 * `/tmp/a/../a/vm.sock` beside `/tmp/a/vm.sock`, or `localhost:4444` beside
 * `tcp:127.0.0.1:4444`; the keys here name the socket file (device and inode when it exists,
 * else the path with symlinks and `..` resolved) and each address a host name resolves to.
 */
import { lookup } from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseTarget } from '../qmp/target';

/** Longest wait for a host name to resolve before falling back to comparing its text. */
const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * Keys of the monitor behind `target`; two targets reach the same monitor when they share one.
 *
 * Never throws: an unparsable target or a failed lookup yields a key built from its text.
 */
export async function monitorKeys(target: string): Promise<ReadonlySet<string>> {
  let parsed;
  try {
    parsed = parseTarget(target);
  } catch {
    return new Set([`text:${target}`]);
  }
  if (parsed.kind === 'unix') return new Set([await socketKey(parsed.path)]);
  const port = parsed.port;
  const addresses = await resolveHost(parsed.host);
  return new Set(addresses.map((address) => `tcp:${address}:${port}`));
}

/** True when the two key sets share a monitor. */
export function sameMonitor(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const key of a) if (b.has(key)) return true;
  return false;
}

async function socketKey(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    const stat = await fs.stat(absolute);
    return `inode:${stat.dev}:${stat.ino}`;
  } catch {
    // Not there yet (QEMU not started): the same file is the same resolved path.
    try {
      return `path:${resolve(await fs.realpath(dirname(absolute)), basename(absolute))}`;
    } catch {
      return `path:${absolute}`;
    }
  }
}

async function resolveHost(host: string): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), LOOKUP_TIMEOUT_MS)));
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    if (found && found.length > 0) return found.map((entry) => unmapIpv4(entry.address));
  } catch {
    // Unknown host: it can still only clash with the same text.
  } finally {
    clearTimeout(timer);
  }
  return [host.toLowerCase()];
}

/** `::ffff:127.0.0.1` reaches the same socket as `127.0.0.1`. */
function unmapIpv4(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}
