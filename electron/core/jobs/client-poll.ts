/**
 * The polling both job trackers share (jobs, migration): reads go through the VM's current QMP
 * connection, start again on every new one, stop when it is gone, and a read that was in flight
 * across a reconnect is dropped (it described the old connection).
 */
import type { QmpClient } from '../qmp/qmp-client';
import { PollLoop } from './poll-loop';

/** A poll read gives up after this long (the next kick tries again). */
export const POLL_READ_TIMEOUT_MS = 10_000;

/**
 * Least time between two reads' starts, however many events kick them: events already update
 * the rows at once, the read only adds the numbers they lack (progress, speed), and a tenth of a
 * second is finer than anyone reads a progress bar.
 */
export const POLL_MIN_GAP_MS = 100;

/**
 * One read: `client` is the connection it runs on, `stillCurrent()` says whether that is still
 * the one attached (check it after each await before using the result). Resolves with the wait
 * before the next read, or undefined to wait for a kick.
 */
export type ClientRead = (client: QmpClient, stillCurrent: () => boolean) => Promise<number | undefined>;

/** A {@link PollLoop} bound to the connection of the moment. */
export class ClientPoll {
  private client: QmpClient | undefined;
  private generation = 0;
  private readonly loop: PollLoop;

  public constructor(readOnce: ClientRead, minGapMs = POLL_MIN_GAP_MS) {
    this.loop = new PollLoop(async () => {
      const client = this.client;
      const generation = this.generation;
      if (!client) return undefined;
      return readOnce(client, () => generation === this.generation);
    }, minGapMs);
  }

  /** A new connection: read now, and on as `readOnce` says. */
  public attach(client: QmpClient): void {
    this.client = client;
    this.generation += 1;
    this.loop.start();
  }

  /** The connection is gone: stop reading (a read in flight is dropped). */
  public detach(): void {
    this.client = undefined;
    this.generation += 1;
    this.loop.stop();
  }

  /** Reads soon (right after the read in flight, if any, and not within {@link POLL_MIN_GAP_MS} of the last). */
  public kick(): void {
    this.loop.kick();
  }
}
