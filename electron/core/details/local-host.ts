/**
 * Whether a TCP monitor's host is this machine, so QEMU's files are this app's files.
 *
 * `screendump` writes on QEMU's host; only when that is this host can the app read the picture.
 * A name counts as local when every address it resolves to is a loopback address or one of
 * this machine's interfaces.
 */
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** True when `host` is this machine (loopback or one of its own addresses). */
export async function isLocalHost(host: string): Promise<boolean> {
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return false;
  }
  const own = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address)));
  const local = (address: string) => address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.') || own.has(address);
  return addresses.length > 0 && addresses.every(local);
}
