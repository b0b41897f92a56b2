/**
 * Shares each turn of the event loop between the QMP sockets and everything else in the process.
 *
 * libuv reads a readable socket up to 32 times in a row (64 KB each) before it looks at anything
 * else, and a flooding QEMU always has more, so a page asking for events or the user's own
 * command can wait behind megabytes of other VMs' events. Here the QMP clients count the time
 * they spend on input in one turn; past {@link READ_TURN_BUDGET_MS} each socket that reads
 * pauses until the loop has gone round once (`setImmediate` runs after the poll phase), so a
 * turn costs the budget plus at most one chunk per socket, and nothing is lost: the bytes wait
 * in the kernel, and QEMU's own queue holds back what does not fit there. Measured with
 * `monitorEventLoopDelay` in the web server under the intake bench's flood (ten monitors at
 * 10,000 events/s): the worst second's longest delay fell from 201 to 108 ms, CPU per event
 * unchanged (10.7 and 10.2 µs).
 */

/** The input time one turn may take before reading sockets wait for the next turn (ms). */
export const READ_TURN_BUDGET_MS = 8;

/** What {@link ReadTurns} pauses: a socket, or anything that reads like one. */
export interface PausableReader {
  pause(): unknown;
  resume(): unknown;
  readonly destroyed?: boolean;
}

/** The turn accounting of one process's QMP sockets (see the module comment). */
export class ReadTurns {
  /** When the first chunk of this turn began; undefined between turns. */
  private turnStartedAt: number | undefined;
  private readonly paused = new Set<PausableReader>();

  public constructor(
    private readonly budgetMs = READ_TURN_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly nextTurn: (callback: () => void) => void = (callback) => setImmediate(callback),
  ) {}

  /** Call before handling a chunk; returns when it began, for {@link chunkDone}. */
  public chunkStarted(): number {
    const at = this.now();
    if (this.turnStartedAt === undefined) {
      this.turnStartedAt = at;
      this.nextTurn(this.endTurn);
    }
    return at;
  }

  /** Call after handling a chunk of `reader`'s: pauses it when this turn's budget is spent. */
  public chunkDone(reader: PausableReader): void {
    if (this.turnStartedAt === undefined || this.now() - this.turnStartedAt <= this.budgetMs) return;
    if (reader.destroyed === true || this.paused.has(reader)) return;
    reader.pause();
    this.paused.add(reader);
  }

  private readonly endTurn = (): void => {
    this.turnStartedAt = undefined;
    for (const reader of this.paused) if (reader.destroyed !== true) reader.resume();
    this.paused.clear();
  };
}

/** The one accounting every QMP client of this process shares. */
export const processReadTurns = new ReadTurns();
