/**
 * Live chart samples of one VM, as `getSamples` returns them (see electron/core/sampling).
 *
 * Rates are computed in the core from QEMU's and the kernel's counters, so every window shows
 * the same numbers and a page that reloads does not need the counters it never saw. A rate is
 * null where no honest value exists: the first sample after a gap (no previous counter to
 * subtract), a counter that went backwards (QEMU restarted), or a value the host cannot read.
 */
import { z } from 'zod';

/** Default sampling period, and the bounds a page may ask for. */
export const DEFAULT_SAMPLE_INTERVAL_MS = 1000;
export const MIN_SAMPLE_INTERVAL_MS = 250;
export const MAX_SAMPLE_INTERVAL_MS = 60_000;
/** How long the core keeps samples of a VM. */
export const SAMPLE_HISTORY_MS = 10 * 60 * 1000;

const rate = z.number().nullable();

/** One block device's counters and rates (from `query-blockstats`). */
export const BlockSampleSchema = z.object({
  /** The drive's id, else its qdev path, else its node name. */
  device: z.string(),
  readBytesPerSec: rate,
  writeBytesPerSec: rate,
  readOpsPerSec: rate,
  writeOpsPerSec: rate,
  readBytes: z.number(),
  writeBytes: z.number(),
  readOps: z.number(),
  writeOps: z.number(),
});

/** One sample; `gap` set means "no data here" (the line breaks), with why. */
export const SampleSchema = z.object({
  seq: z.number().int(),
  /** Milliseconds since the epoch. */
  at: z.number(),
  gap: z.string().optional(),
  blocks: z.array(BlockSampleSchema),
  /** QEMU's process CPU use, percent of one core (local QEMU only). */
  cpuPercent: rate,
  /** QEMU's resident memory in bytes (local QEMU only). */
  rssBytes: rate,
  /** Host CPU use of each vCPU thread, percent of one core, by vCPU index. */
  vcpuPercent: z.array(z.object({ index: z.number().int(), percent: rate })),
  /** `query-memory-size-summary`: base plus plugged memory, bytes. */
  guestMemoryBytes: rate,
  /** `query-balloon` actual size, bytes (null without a balloon). */
  balloonBytes: rate,
});

/** Where a VM's host-side figures come from, or why there are none. */
export const SampleSourcesSchema = z.object({
  /** QEMU's PID on this host, when found and confirmed. */
  pid: z.number().int().nullable(),
  /** Why CPU, RSS and vCPU figures are unavailable (null when they are read). */
  hostReason: z.string().nullable(),
  /** Why the balloon is unavailable (null when read or not yet known). */
  balloonReason: z.string().nullable(),
  /** Why guest memory is unavailable (null when read or not yet known). */
  memoryReason: z.string().nullable(),
});

/** Parameters of `watchSamples`. */
export const WatchSamplesSchema = z
  .object({
    vmId: z.string().min(1).max(64),
    intervalMs: z.number().int().min(MIN_SAMPLE_INTERVAL_MS).max(MAX_SAMPLE_INTERVAL_MS).optional(),
  })
  .strict();

/** Reply of `watchSamples`: how long the lease lasts unless renewed. */
export const WatchSamplesResultSchema = z.object({ leaseMs: z.number().int(), intervalMs: z.number().int() });

/** Parameters of `getSamples`. */
export const GetSamplesSchema = z.object({ vmId: z.string().min(1).max(64), afterSeq: z.number().int().min(-1) }).strict();

/** A page of samples after `afterSeq`, oldest first. */
export const SamplesPageSchema = z.object({
  samples: z.array(SampleSchema),
  lastSeq: z.number().int(),
  /** Ticks skipped because the previous sample had not answered yet. */
  skipped: z.number().int(),
  intervalMs: z.number().int(),
  sources: SampleSourcesSchema,
});

/** One sample as the page gets it. */
export type Sample = z.infer<typeof SampleSchema>;
/** One device's part of a sample. */
export type BlockSample = z.infer<typeof BlockSampleSchema>;
/** What `getSamples` returns. */
export type SamplesPage = z.infer<typeof SamplesPageSchema>;
/** The sources part of a page. */
export type SampleSources = z.infer<typeof SampleSourcesSchema>;
