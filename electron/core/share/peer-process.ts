/**
 * Finds which process is at the other end of an accepted socket, where Linux tells.
 *
 * Node exposes neither SO_PEERCRED nor the peer's socket inode, and /proc/net/unix does not
 * pair the two ends of a connection; only the kernel's sock_diag (netlink) does, which `ss`
 * (iproute2) reads for us. So: our end's inode from fstat on its fd, then `ss -xpn` (or
 * `-tpn` for TCP) names the socket whose peer is that inode, with its owner's pid and comm.
 * Other users' processes are not listed to us; then, or without `ss`, the fields are omitted.
 * For TCP, `-e` adds the peer socket's owner, which lets the endpoint refuse other users.
 */
import { execFile } from 'node:child_process';
import { fstat, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** The peer's pid and process name, each only when known; `uid` for TCP peers `ss` saw. */
export interface PeerProcess {
  readonly pid?: number;
  readonly processName?: string;
  /** The TCP peer socket's owner (ss prints none for root, so absent there means 0). */
  readonly uid?: number;
}

/** One owner in ss's `users:((…),(…))` list: its name and pid. */
const USER = /\("((?:[^"\\]|\\.)*)",pid=(\d+)/g;

/** Looks the peer up; never rejects (an unknown peer is `{}`). */
export async function findPeerProcess(socket: Socket): Promise<PeerProcess> {
  try {
    if (socket.remoteAddress !== undefined) return await tcpPeer(socket);
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) return {};
    const inode = await new Promise<number>((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.ino))));
    const lines = await ss(['-xpnH']);
    for (const line of lines) {
      const head = line.split('users:')[0]!.trim().split(/\s+/);
      if (head[head.length - 1] === String(inode)) return ownerOnSsLine(line);
    }
  } catch {
    // no ss, no /proc, a socket already gone: the peer stays anonymous
  }
  return {};
}

async function tcpPeer(socket: Socket): Promise<PeerProcess> {
  const here = `${socket.localAddress ?? ''}:${socket.localPort ?? ''}`;
  const there = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
  for (const line of await ss(['-tpenH'])) {
    const fields = line.split(/\s+/);
    // State Recv-Q Send-Q Local Peer Process: the peer's own line has our end as its peer.
    if (fields[3] === there && fields[4] === here) return { ...ownerOnSsLine(line), uid: Number(/ uid:(\d+)/.exec(line)?.[1] ?? 0) };
  }
  return {};
}

/**
 * The owner `ss` names on `line`. A socket can have several for an instant: a process we fork
 * (our own `ss`, say) holds a copy of each of our descriptors until it execs, and when the peer
 * is in this process too (tests, a client the app runs itself) that copy is listed beside the
 * real owner, in no set order. So a child of ours is named only when no one else holds it.
 */
export function ownerOnSsLine(line: string): PeerProcess {
  const owners = [...(line.split('users:')[1] ?? '').matchAll(USER)].map((match) => ({ pid: Number(match[2]), processName: match[1]!.replace(/\\(.)/g, '$1') }));
  return owners.find((owner) => isNotOurChild(owner.pid)) ?? owners[0] ?? {};
}

/** Whether `pid` runs and its parent is not this process (read from /proc). */
function isNotOurChild(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after its last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid;
  } catch {
    return false; // gone already (a child of ours that exec'd and ended, say): named only if no one else is
  }
}

function ss(args: string[]): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('ss', args, { timeout: 5000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => resolve(error ? [] : stdout.split('\n')));
  });
}
