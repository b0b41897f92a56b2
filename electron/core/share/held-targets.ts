/**
 * The registry of held targets: which process holds which QEMU monitor, and where it shares it.
 *
 * QEMU serves one client per monitor, so a CLI run against a monitor the app (or a proxy)
 * already holds would wait forever for a greeting. Each holder writes a small JSON file in
 * `<runtime folder>/held/` and removes it when it lets go; the CLI reads them to go through
 * the shared endpoint instead. A holder that was killed leaves its file behind, so an entry
 * counts only while its pid is alive and its socket is listening (checked in the kernel's
 * table, without connecting, so a check never shows up as a client).
 */
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { monitorKeys, sameMonitor } from '../service/monitor-identity';
import { formatTarget, parseTarget } from '../qmp/target';
import { ensurePrivateFolder, runtimeFolderPath } from './runtime-folder';
import type { ShareEndpointAddress } from './share-types';

/** One registry file's content. */
export interface HeldTarget {
  /** The target as the holder reaches it, normalised (`unix:/abs/path`, `tcp:HOST:PORT`). */
  readonly target: string;
  readonly endpoint: ShareEndpointAddress;
  readonly pid: number;
  /** Who holds it, for messages: 'qmp-monitor proxy', 'QMP Monitor app'. */
  readonly holder: string;
  readonly since: number;
}

/** Normalises a target's text so the registry and the CLI spell it alike. */
export function normaliseTarget(target: string): string {
  const parsed = parseTarget(target);
  return parsed.kind === 'unix' ? formatTarget({ kind: 'unix', path: resolve(parsed.path) }) : formatTarget(parsed);
}

function heldFolder(runtimeFolder: string): string {
  return join(runtimeFolder, 'held');
}

function entryFile(runtimeFolder: string, target: string, pid: number): string {
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 16);
  return join(heldFolder(runtimeFolder), `${hash}-${pid}.json`);
}

/** Where a holder puts the shared socket of `target` by default (short: sun_path holds 108 bytes). */
export function defaultShareSocketPath(target: string, runtimeFolder = runtimeFolderPath()): string {
  const hash = createHash('sha256').update(normaliseTarget(target)).digest('hex').slice(0, 16);
  return join(runtimeFolder, `${hash}.sock`);
}

/**
 * Records that this process holds `target` and shares it at `endpoint`.
 *
 * Returns the function that removes the entry again (idempotent); call it when the holder
 * stops sharing. The file is written atomically, so a reader never sees half an entry.
 */
export async function registerHeldTarget(
  target: string,
  endpoint: ShareEndpointAddress,
  holder: string,
  runtimeFolder = runtimeFolderPath(),
): Promise<() => void> {
  const normalised = normaliseTarget(target);
  ensurePrivateFolder(runtimeFolder);
  ensurePrivateFolder(heldFolder(runtimeFolder));
  const entry: HeldTarget = { target: normalised, endpoint, pid: process.pid, holder, since: Date.now() };
  const file = entryFile(runtimeFolder, normalised, process.pid);
  await writeFileAtomic(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    unregisterFile(file);
  };
}

/** Removes this process's entry for `target` (for holders that kept no handle). */
export function unregisterHeldTarget(target: string, runtimeFolder = runtimeFolderPath()): void {
  unregisterFile(entryFile(runtimeFolder, normaliseTarget(target), process.pid));
}

function unregisterFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * The live entry holding the monitor `target` reaches, if any (not one of this process's own).
 *
 * Entries of dead holders are deleted on the way; entries whose holder lives but whose socket
 * does not listen (the holder is starting or stopping) are skipped, not deleted.
 */
export async function findHeldTarget(target: string, runtimeFolder = runtimeFolderPath()): Promise<HeldTarget | undefined> {
  let names: string[];
  try {
    names = (await fs.readdir(heldFolder(runtimeFolder))).filter((name) => name.endsWith('.json'));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const wanted = await monitorKeys(target);
  for (const name of names) {
    const file = join(heldFolder(runtimeFolder), name);
    const entry = readEntry(file);
    if (!entry || entry.pid === process.pid) continue;
    if (!pidAlive(entry.pid)) {
      unregisterFile(file);
      continue;
    }
    if (!sameMonitor(wanted, await monitorKeys(entry.target))) continue;
    if (await endpointListening(entry.endpoint)) return entry;
  }
  return undefined;
}

function readEntry(file: string): HeldTarget | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<HeldTarget>;
    if (typeof value.target !== 'string' || typeof value.pid !== 'number' || typeof value.endpoint !== 'object' || value.endpoint === null) return undefined;
    return { target: value.target, endpoint: value.endpoint, pid: value.pid, holder: typeof value.holder === 'string' ? value.holder : 'another process', since: Number(value.since) || 0 };
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the entry's socket is in LISTEN state per /proc/net (no connection made). */
async function endpointListening(endpoint: ShareEndpointAddress): Promise<boolean> {
  if (endpoint.unixPath !== undefined) {
    const table = await fs.readFile('/proc/net/unix', 'utf8').catch(() => undefined);
    if (table === undefined) return fs.stat(endpoint.unixPath).then((s) => s.isSocket(), () => false);
    // Flags 00010000 (__SO_ACCEPTCON) marks a listening socket; the path is the last column.
    return table.split('\n').some((line) => line.endsWith(` ${endpoint.unixPath}`) && line.split(/\s+/)[3] === '00010000');
  }
  if (endpoint.tcp !== undefined) {
    const port = Number(endpoint.tcp.split(':').pop());
    const portHex = port.toString(16).toUpperCase().padStart(4, '0');
    const table = await fs.readFile('/proc/net/tcp', 'utf8').catch(() => '');
    return table.split('\n').some((line) => {
      const columns = line.trim().split(/\s+/);
      return columns[1] === `0100007F:${portHex}` && columns[3] === '0A';
    });
  }
  return false;
}

/** The endpoint as a CLI target: the Unix socket when there is one, else the TCP address. */
export function endpointTarget(endpoint: ShareEndpointAddress): string | undefined {
  if (endpoint.unixPath !== undefined) return `unix:${endpoint.unixPath}`;
  if (endpoint.tcp !== undefined) return `tcp:${endpoint.tcp}`;
  return undefined;
}
