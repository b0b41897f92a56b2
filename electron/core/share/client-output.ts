/**
 * A shared client's outgoing side: replies in the order QEMU would give them, and a byte bound.
 *
 * QEMU answers a monitor's in-band commands in order, and answers even a parse error in its
 * place in that order (the error goes through the same request queue), so a reply we make
 * locally must wait for earlier forwarded ones. `exec-oob` replies skip the queue, as in QEMU.
 * Events and replies are written in per-tick batches (one syscall for many messages after the
 * first, which goes out at once); a client that stops reading is not waited for: past the bound
 * it is cut off, so neither QEMU nor the other clients ever wait on it.
 */
import type { Socket } from 'node:net';

const RESOLVED = Promise.resolve();

/** One place in the reply order; `text` is set when the reply is known. */
export interface ReplySlot {
  text: string | undefined;
}

/** Ordered, bounded writer for one downstream socket. */
export class ClientOutput {
  private readonly slots: ReplySlot[] = [];
  private head = 0;
  private batch = '';
  private flushQueued = false;
  private failed = false;

  /**
   * @param onOverflow called once, with the queued byte count, when the client falls too far behind.
   */
  public constructor(
    private readonly socket: Socket,
    private readonly maxQueuedBytes: number,
    private readonly onOverflow: (queuedBytes: number) => void,
  ) {}

  /** Replies still owed to the client in order (forwarded commands not yet answered included). */
  public get owed(): number {
    return this.slots.length - this.head;
  }

  /** Reserves the next place in the reply order. */
  public reserve(): ReplySlot {
    const slot: ReplySlot = { text: undefined };
    this.slots.push(slot);
    return slot;
  }

  /** Fills a reserved place and writes every reply that is now next in order. */
  public fill(slot: ReplySlot, text: string): void {
    slot.text = text;
    while (this.head < this.slots.length) {
      const next = this.slots[this.head]!;
      if (next.text === undefined) break;
      this.write(next.text);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * Writes a message now, outside the reply order (events, OOB replies, the greeting).
   *
   * The first message of a tick goes out at once (a sequential client's reply waits for
   * nothing); later ones join a batch that one microtask writes, as `qmp/batched-writer.ts` does.
   */
  public write(text: string): void {
    if (this.failed || this.socket.destroyed) return;
    if (this.flushQueued) this.batch += text;
    else {
      this.flushQueued = true;
      void RESOLVED.then(this.flush);
      this.socket.write(text);
    }
    const queued = this.socket.writableLength + this.batch.length;
    if (queued > this.maxQueuedBytes) {
      this.failed = true;
      this.batch = '';
      this.onOverflow(queued);
    }
  }

  /** Writes what this tick batched now (before an orderly close: nothing already owed is lost). */
  public flushNow(): void {
    this.flush();
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    const data = this.batch;
    this.batch = '';
    if (data !== '' && !this.failed && !this.socket.destroyed) this.socket.write(data);
  };
}
