/**
 * One bound on the wire text of all VMs together.
 *
 * A VM's wire log keeps up to 16 MiB, plenty for one VM. Ten VMs flooding events would hold
 * 160 MiB of raw lines on top of the event log that holds the same events (measured: about
 * 230 MB of main's heap in the timeline flood bench), so the sum has a bound too. Past it, the
 * log holding the most gives up its oldest entries first: a quiet VM keeps its history while a
 * flooding one is trimmed to its share.
 */

/** Default bound of all wire logs together: two VMs' worth at the per-VM bound. */
export const DEFAULT_WIRE_BUDGET_BYTES = 32 * 1024 * 1024;

/** What the budget needs of a log. */
export interface BudgetedLog {
  /** Bytes of text it holds now. */
  readonly heldBytes: number;
  /** True while it holds more than its newest entry (which is never dropped). */
  readonly canDrop: boolean;
  /** Drops its oldest entry and returns the bytes freed; the budget does its own sum. */
  dropOldest(): number;
}

/** The shared bound; logs report what they add and free. */
export class WireBudget {
  private readonly logs = new Set<BudgetedLog>();
  private total = 0;

  public constructor(public readonly maxBytes = DEFAULT_WIRE_BUDGET_BYTES) {
    if (!(maxBytes > 0)) throw new Error(`the wire budget must be positive, got ${maxBytes}`);
  }

  /** Bytes held by all logs together. */
  public get heldBytes(): number {
    return this.total;
  }

  /** A log starts counting against the budget. */
  public join(log: BudgetedLog): void {
    if (this.logs.has(log)) return;
    this.logs.add(log);
    this.total += log.heldBytes;
  }

  /** A log is gone (its VM was removed): its bytes no longer count. */
  public leave(log: BudgetedLog): void {
    if (this.logs.delete(log)) this.total -= log.heldBytes;
  }

  /** A log's held bytes changed by `delta` (its own trimming included); trims to the bound. */
  public changed(delta: number): void {
    this.total += delta;
    while (this.total > this.maxBytes) {
      let largest: BudgetedLog | undefined;
      for (const log of this.logs) if (log.canDrop && (!largest || log.heldBytes > largest.heldBytes)) largest = log;
      if (!largest) return;
      this.total -= largest.dropOldest();
    }
  }
}
