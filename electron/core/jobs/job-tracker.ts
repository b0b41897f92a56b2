/**
 * A VM's block and generic jobs, kept from events and reads, with the app's own record of
 * each job that ended until the user dismisses it.
 *
 * Reads go straight through the QMP client (not `execute`), so polling leaves no command
 * markers in the timeline; they run on every job event and every 500 ms while a job moves.
 */
import type { JobRow } from '../../common/jobs-models';
import type { JsonValue } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import type { QmpEvent } from '../qmp/types';
import { applyJobEvent, boundJobRows, isJobActive, JOB_EVENTS, measureRates, mergeJobReads, type ProgressSamples } from './job-rows';
import { ClientPoll, POLL_READ_TIMEOUT_MS } from './client-poll';

/** How often a moving job's progress is read. */
export const JOB_POLL_MS = 500;

/** The job rows of one VM. */
export class JobTracker {
  private rows = new Map<string, JobRow>();
  private samples: ProgressSamples = new Map();
  private emitPending = false;
  private readonly loop: ClientPoll;

  public constructor(
    private readonly onChange: (rows: readonly JobRow[]) => void,
    private readonly pollMs = JOB_POLL_MS,
  ) {
    this.loop = new ClientPoll((client, stillCurrent) => this.read(client, stillCurrent));
  }

  /** The rows, oldest job first. */
  public get list(): readonly JobRow[] {
    return [...this.rows.values()];
  }

  /** A new connection: read what QEMU has now (a job may have started or ended meanwhile). */
  public attach(client: QmpClient): void {
    this.loop.attach(client);
  }

  /** The connection is gone: stop reading and keep the rows as they were. */
  public detach(): void {
    this.loop.detach();
  }

  /** Applies a job event at once and reads the list again for the numbers events lack. */
  public onEvent(event: QmpEvent, at: number): void {
    if (!JOB_EVENTS.has(event.event)) return;
    // An event always changes its row (state or updatedAt): no before/after comparison, and
    // one emission per turn of the event loop, since a burst of job events (one chunk can hold
    // hundreds) would otherwise serialise every row once per event.
    this.rows = boundJobRows(applyJobEvent(this.rows, event, at));
    this.emitSoon();
    this.loop.kick();
  }

  /** Something may have started a job (a command went out): read soon. */
  public poke(): void {
    this.loop.kick();
  }

  /** The row of a job, if the app knows it. */
  public row(id: string): JobRow | undefined {
    return this.rows.get(id);
  }

  /** Forgets a job's row (the user dismissed it); false when there was none. */
  public forget(id: string): boolean {
    if (!this.rows.delete(id)) return false;
    this.emit();
    return true;
  }

  /** Forgets every row (the VM's target changed: they described another QEMU). */
  public clear(): void {
    this.rows = new Map();
    this.samples = new Map();
    this.emit();
  }

  /** One read; the next one in {@link JOB_POLL_MS} while a job moves (events announce new ones). */
  private async read(client: QmpClient, stillCurrent: () => boolean): Promise<number | undefined> {
    const [jobs, blockJobs] = await Promise.all([this.query(client, 'query-jobs'), this.query(client, 'query-block-jobs')]);
    if (!stillCurrent()) return undefined;
    const at = Date.now();
    const merged = boundJobRows(mergeJobReads(this.rows, jobs, blockJobs, at));
    this.samples = measureRates(merged, this.samples, at);
    this.set(merged);
    return [...merged.values()].some(isJobActive) ? this.pollMs : undefined;
  }

  private async query(client: QmpClient, command: string): Promise<JsonValue | undefined> {
    try {
      return await client.execute<JsonValue>(command, undefined, { timeoutMs: POLL_READ_TIMEOUT_MS });
    } catch {
      // An older QEMU without query-jobs, or a lost connection: the other read still counts.
      return undefined;
    }
  }

  private set(rows: Map<string, JobRow>): void {
    const before = JSON.stringify(this.list);
    this.rows = rows;
    if (JSON.stringify(this.list) !== before) this.emit();
  }

  private emit(): void {
    this.onChange(this.list);
  }

  private emitSoon(): void {
    if (this.emitPending) return;
    this.emitPending = true;
    setImmediate(() => {
      this.emitPending = false;
      this.emit();
    });
  }
}
