/**
 * Writes command lines to a socket in per-tick batches, honouring backpressure.
 *
 * Pipelined callers issue thousands of commands in one tick; one write per command would cost
 * a syscall each. Sequential callers need their single command on the wire with no delay.
 */
import type { Socket } from 'node:net';

const RESOLVED = Promise.resolve();

/**
 * A socket writer that never throws and never writes into a full or dead socket.
 *
 * The first line of a tick goes out at once; later ones are joined and written by a microtask.
 * While `write` reports backpressure, lines accumulate until 'drain'.
 */
export class BatchedWriter {
  private buffer = '';
  private flushQueued = false;
  private waitingForDrain = false;

  public constructor(private readonly socket: Socket) {}

  /** Queues one line; silently drops it if the socket is already gone (its command fails on close). */
  public write(line: string): void {
    if (this.socket.destroyed) return;
    if (this.flushQueued || this.waitingForDrain) {
      this.buffer += line;
      return;
    }
    this.flushQueued = true;
    // Not queueMicrotask: Node wraps each of those in an AsyncResource, which showed up in
    // profiles of sequential round trips; a resolved promise's reaction costs less.
    void RESOLVED.then(this.flush);
    this.writeNow(line);
  }

  /** Forgets queued lines (the connection is ending). */
  public discard(): void {
    this.buffer = '';
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    if (this.waitingForDrain) return;
    const data = this.buffer;
    this.buffer = '';
    if (data !== '') this.writeNow(data);
  };

  private writeNow(data: string): void {
    if (this.socket.destroyed || this.socket.write(data)) return;
    this.waitingForDrain = true;
    this.socket.once('drain', this.onDrain);
  }

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    if (!this.flushQueued) this.flush();
  };
}
