/**
 * Finds the PID of the QEMU behind a QMP connection, only when it provably runs on this host.
 *
 * Node has no SO_PEERCRED, so the kernel's own tables answer instead: /proc/net/unix (or
 * /proc/net/tcp{,6}) names the inodes of the sockets at the monitor's address, and the process
 * holding one of them (a `socket:[inode]` link under /proc/<pid>/fd) serves the monitor. When
 * QMP reports vCPU thread ids (`query-cpus-fast` thread-id), the candidate is their thread
 * group (/proc/<tid>/status Tgid) and every thread must be its task; that process must also
 * hold the monitor's socket, so a forwarder (socat, ssh -L) in front of a remote QEMU whose
 * thread ids happen to exist here is never taken for it. Anything unproven is "unavailable"
 * with the reason: wrong numbers would be worse than none.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import type { QmpTarget } from '../qmp/types';

/** The outcome: a confirmed PID, or why there is none. */
export type LocalQemu = { readonly pid: number } | { readonly reason: string };

/** Finds the local QEMU for `target`, given the vCPU thread ids QMP reported (maybe none). */
export async function findLocalQemu(target: QmpTarget, threadIds: readonly number[]): Promise<LocalQemu> {
  const where = target.kind === 'unix' ? target.path : `${target.host}:${target.port}`;
  if (target.kind === 'tcp' && !isThisHost(target.host)) return { reason: `QEMU runs on another host (${target.host}); CPU and memory are read from /proc on this host only` };
  const inodes = target.kind === 'unix' ? await unixInodes(resolve(target.path)) : await tcpListenInodes(target.port);
  if (inodes.size === 0) return { reason: `no socket at ${where} was found in this host's socket tables` };
  if (threadIds.length > 0) {
    const pid = await threadGroup(threadIds[0]!);
    if (pid === undefined) return { reason: `QEMU's vCPU thread ${threadIds[0]} is not a thread on this host, so QEMU runs elsewhere` };
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    const foreign = threadIds.find((tid) => !tasks.includes(String(tid)));
    if (foreign !== undefined) return { reason: `QEMU's vCPU threads are not all threads of one process here (thread ${foreign}), so QEMU runs elsewhere` };
    if (!(await holdsSocket(pid, inodes))) return { reason: `process ${pid} owns threads with QEMU's vCPU ids but does not serve ${where}: the monitor is forwarded from another host` };
    return { pid };
  }
  const holder = await socketHolder(inodes);
  if (holder === undefined) return { reason: `the process serving ${where} is not visible to this user` };
  const comm = (await readFile(`/proc/${holder}/comm`, 'utf8').catch(() => '')).trim();
  if (!comm.startsWith('qemu')) return { reason: `${where} is served by process ${holder} (${comm || 'unknown'}), not QEMU: the monitor is forwarded` };
  return { pid: holder };
}

const LOOPBACK = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

function isThisHost(host: string): boolean {
  if (LOOPBACK.has(host.toLowerCase()) || host.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === host));
}

/** Inodes of every socket bound to `path` (the listener and its accepted connections). */
async function unixInodes(path: string): Promise<Set<string>> {
  const text = await readFile('/proc/net/unix', 'utf8').catch(() => '');
  const inodes = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 8 && fields.slice(7).join(' ') === path) inodes.add(fields[6]!);
  }
  return inodes;
}

/** Inodes of the sockets listening on TCP `port` (any address). */
async function tcpListenInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local rem st ... inode(9); st 0A is LISTEN.
      if (fields.length > 9 && fields[1]!.endsWith(`:${hexPort}`) && fields[3] === '0A') inodes.add(fields[9]!);
    }
  }
  return inodes;
}

async function threadGroup(tid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${tid}/status`, 'utf8').catch(() => '');
  const match = /^Tgid:\s+(\d+)/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

async function holdsSocket(pid: number, inodes: ReadonlySet<string>): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match && inodes.has(match[1]!)) return true;
  }
  return false;
}

/** The process holding one of `inodes`, searched over every process this user can see. */
async function socketHolder(inodes: ReadonlySet<string>): Promise<number | undefined> {
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (await holdsSocket(pid, inodes)) return pid;
  }
  return undefined;
}
