/**
 * What the app keeps about a VM's jobs and its migration, as it crosses to the UI.
 *
 * Kept in the VM snapshot (not a separate push) because a job row is part of "what the VM is
 * doing now", and the snapshot push already coalesces changes per VM. Byte counts are plain
 * numbers: QEMU's int64 offsets would need an image beyond 8 PiB to lose precision.
 */
import { z } from 'zod';

/** How a job ended, as the app recorded it (QEMU forgets auto-dismissed jobs at once). */
export const JobOutcomeSchema = z.enum(['completed', 'cancelled', 'failed']);
/** @see JobOutcomeSchema */
export type JobOutcome = z.infer<typeof JobOutcomeSchema>;

/** One block or generic job: QEMU's live view while it exists, the app's record after. */
export const JobRowSchema = z.object({
  id: z.string(),
  /** QEMU's job type: `mirror`, `backup`, `commit`, `stream`, `create`… */
  type: z.string(),
  /** QEMU's JobStatus word (`created`, `running`, `ready`, `concluded`…). */
  state: z.string(),
  /** Bytes done and bytes to do (`offset`/`len` of query-block-jobs, `current-progress`/`total-progress` of query-jobs). */
  current: z.number(),
  total: z.number(),
  /** Bytes per second measured between two reads (absent before there are two). */
  rate: z.number().optional(),
  /** The rate limit set on a block job (0: none). */
  speedLimit: z.number().optional(),
  /** Paused by the user (query-block-jobs `paused`), which decides between Pause and Resume. */
  userPaused: z.boolean().optional(),
  error: z.string().optional(),
  /** Set once the job has ended; the row stays until the user dismisses it. */
  outcome: JobOutcomeSchema.optional(),
  /** Epoch ms of the last change to this row. */
  updatedAt: z.number(),
  /** Still listed by QEMU (false once QEMU dropped it: only the app's record remains). */
  inQemu: z.boolean(),
});
/** @see JobRowSchema */
export type JobRow = z.infer<typeof JobRowSchema>;

/** One point of the migration chart: epoch ms and bytes transferred so far. */
export const MigrationPointSchema = z.tuple([z.number(), z.number()]);

/** The migration as `query-migrate` and MIGRATION / MIGRATION_PASS events last reported it. */
export const MigrationViewSchema = z.object({
  /** QEMU's MigrationStatus word (`none`, `setup`, `active`, `completed`, `failed`…). */
  status: z.string(),
  /** RAM bytes transferred, remaining and total (`ram` of query-migrate). */
  transferred: z.number().optional(),
  remaining: z.number().optional(),
  total: z.number().optional(),
  /** Throughput in megabits per second and pages per second. */
  mbps: z.number().optional(),
  pagesPerSecond: z.number().optional(),
  /** Pages dirtied per second by the guest. */
  dirtyPageRate: z.number().optional(),
  /** Passes over RAM: the last MIGRATION_PASS, else `dirty-sync-count`. */
  passes: z.number().optional(),
  /** Milliseconds: real downtime once completed, QEMU's estimate while active. */
  downtime: z.number().optional(),
  expectedDowntime: z.number().optional(),
  totalTime: z.number().optional(),
  error: z.string().optional(),
  /** Transferred bytes over time while it runs, for the chart (bounded, oldest dropped). */
  history: z.array(MigrationPointSchema),
  /** Epoch ms of the last read or event. */
  updatedAt: z.number(),
});
/** @see MigrationViewSchema */
export type MigrationView = z.infer<typeof MigrationViewSchema>;

/** A VM's jobs (ended ones kept until dismissed) and its migration. */
export const JobsStateSchema = z.object({
  jobs: z.array(JobRowSchema),
  migration: MigrationViewSchema.optional(),
});
/** @see JobsStateSchema */
export type JobsState = z.infer<typeof JobsStateSchema>;
