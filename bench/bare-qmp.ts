/**
 * The bare QMP client both round-trip benches measure against: a `net.Socket` that counts
 * CRLF-terminated messages and parses nothing, the cheapest a client can be, so a ratio
 * against it shows what our client (or the shared endpoint) costs on top of QEMU itself.
 */
import { connect, type Socket } from 'node:net';

/** The command every round trip sends. */
export const QUERY = '{"execute":"query-status","id":1}\n';

/** A minimal raw QMP connection; `received` counts messages after negotiation. */
export class BareQmp {
  public received = 0;
  private waiting = 0;
  private done: (() => void) | undefined;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let at = -1;
      while ((at = chunk.indexOf('\r\n', at + 1)) >= 0) {
        this.received++;
        if (this.waiting > 0 && --this.waiting === 0) this.done?.();
      }
    });
  }

  /** Connects to a Unix socket, waits for the greeting, negotiates oob. */
  public static async open(path: string): Promise<BareQmp> {
    const socket = connect({ path });
    socket.setNoDelay(true);
    const bare = new BareQmp(socket);
    await bare.expect(1, '');
    await bare.expect(1, '{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}\n');
    bare.received = 0;
    return bare;
  }

  /** Writes `data` and resolves after `replies` more messages arrived. */
  public expect(replies: number, data: string): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = replies;
      this.done = resolve;
      if (data) this.socket.write(data);
    });
  }

  /** Sequential loop driven from the data callback. */
  public sequential(count: number): Promise<void> {
    return new Promise((resolve) => {
      let left = count;
      this.waiting = 1;
      this.done = () => {
        if (--left === 0) return resolve();
        this.waiting = 1;
        this.socket.write(QUERY);
      };
      this.socket.write(QUERY);
    });
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.socket.end(() => this.socket.destroy()).once('close', () => resolve()));
  }
}

/** The median of several rounds, which damps scheduler noise on a 2-core machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
