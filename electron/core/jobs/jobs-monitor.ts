/**
 * The jobs and migration of one VM, as one part of its snapshot (`jobs`).
 *
 * The VM session feeds it its client, events and sent commands; it answers with the new
 * {@link JobsState} after each change. Dismissing a job goes through the session's `execute`
 * (a command marker like any button) when QEMU still holds the job.
 */
import type { CommandOutcome } from '../../common/models';
import type { JobsState } from '../../common/jobs-models';
import type { JsonObject } from '../../common/json-text';
import type { QmpClient } from '../qmp/qmp-client';
import type { QmpEvent } from '../qmp/types';
import { JobTracker } from './job-tracker';
import { MigrationTracker } from './migration-tracker';

/** Runs one command as the user's (so it leaves a marker), the session's `execute`. */
export type ExecuteCommand = (command: string, args: JsonObject) => Promise<CommandOutcome>;

/** What dismissing a job did: `forgotten` always; `outcome` when QEMU was told too. */
export interface DismissResult {
  readonly forgotten: boolean;
  readonly outcome?: CommandOutcome;
  /** Why nothing was dismissed, when it was not. */
  readonly reason?: string;
}

/** Poll periods (tests may shorten them). */
export interface JobsMonitorOptions {
  readonly jobPollMs?: number;
  readonly migrationPollMs?: number;
  readonly migrationIdlePollMs?: number;
}

/** Jobs and migration of one VM. */
export class JobsMonitor {
  private readonly jobs: JobTracker;
  private readonly migration: MigrationTracker;

  public constructor(
    private readonly onChange: (state: JobsState) => void,
    options: JobsMonitorOptions = {},
  ) {
    this.jobs = new JobTracker(() => this.emit(), options.jobPollMs);
    this.migration = new MigrationTracker(() => this.emit(), options.migrationPollMs, options.migrationIdlePollMs);
  }

  /** The current state. */
  public get state(): JobsState {
    const migration = this.migration.current;
    return { jobs: [...this.jobs.list], ...(migration ? { migration } : {}) };
  }

  /** A negotiated client: read jobs and migration now. */
  public attach(client: QmpClient): void {
    this.jobs.attach(client);
    this.migration.attach(client);
  }

  /** The client went away (rows and view are kept). */
  public detach(): void {
    this.jobs.detach();
    this.migration.detach();
  }

  /** Every QMP event of the VM, in wire order. */
  public onEvent(event: QmpEvent, at: number): void {
    this.jobs.onEvent(event, at);
    this.migration.onEvent(event, at);
  }

  /** A command was sent by the app: it may have started or changed a job or a migration. */
  public onCommand(command: string): void {
    if (command.startsWith('migrate')) this.migration.poke();
    else this.jobs.poke();
  }

  /**
   * Dismisses a job: a concluded job QEMU still holds gets `job-dismiss` first (and stays if
   * QEMU refuses); then the app forgets its row.
   */
  public async dismiss(id: string, execute: ExecuteCommand): Promise<DismissResult> {
    const row = this.jobs.row(id);
    if (!row) return { forgotten: false, reason: `no job ${id} is known` };
    if (row.inQemu && row.state === 'concluded') {
      const outcome = await execute('job-dismiss', { id });
      if (!outcome.ok) return { forgotten: false, outcome };
      return { forgotten: this.jobs.forget(id), outcome };
    }
    if (row.inQemu) return { forgotten: false, reason: `the job is ${row.state}: only an ended job can be dismissed` };
    return { forgotten: this.jobs.forget(id) };
  }

  /** Forgets everything (another QEMU behind the VM now). */
  public clear(): void {
    this.jobs.clear();
    this.migration.clear();
  }

  private emit(): void {
    this.onChange(this.state);
  }
}
