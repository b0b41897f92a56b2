/**
 * Pure steps that turn QEMU's job reports (query-jobs, query-block-jobs, JOB_STATUS_CHANGE and
 * BLOCK_JOB_* events) into the app's job rows.
 *
 * QEMU forgets a job once it is dismissed (at once for auto-dismiss jobs), so the row keeps
 * what the last report said and, once QEMU no longer lists it, the outcome the app saw.
 */
import type { JobOutcome, JobRow } from '../../common/jobs-models';
import type { JsonObject, JsonValue } from '../../common/json-text';
import type { QmpEvent } from '../qmp/types';
import { booleanOf, numberOf, objectsOf, stringOf } from './qmp-values';

/** Events that change a job; any of them makes the job list be read again. */
export const JOB_EVENTS: ReadonlySet<string> = new Set([
  'JOB_STATUS_CHANGE',
  'BLOCK_JOB_READY',
  'BLOCK_JOB_COMPLETED',
  'BLOCK_JOB_CANCELLED',
  'BLOCK_JOB_ERROR',
  'BLOCK_JOB_PENDING',
]);

/** States after which a job does no more work (polling stops). */
const IDLE_STATES: ReadonlySet<string> = new Set(['concluded', 'null', 'undefined']);

/** True while a job may still move (its progress is worth polling). */
export function isJobActive(row: JobRow): boolean {
  return row.inQemu && !IDLE_STATES.has(row.state);
}

/** A row for a job first heard of, before any read fills it in. */
function blankRow(id: string, at: number): JobRow {
  return { id, type: 'job', state: 'created', current: 0, total: 0, updatedAt: at, inQemu: true };
}

/** The outcome of a job that ended, from what its row says. */
function outcomeOf(row: JobRow): JobOutcome {
  if (row.outcome) return row.outcome;
  if (row.error !== undefined) return 'failed';
  return row.state === 'aborting' ? 'cancelled' : 'completed';
}

/** Marks a row as no longer in QEMU, keeping (or deciding) its outcome. */
function ended(row: JobRow, at: number): JobRow {
  return { ...row, inQemu: false, outcome: outcomeOf(row), updatedAt: at };
}

/**
 * Most rows a VM keeps. QEMU runs a handful of jobs at a time, but the app keeps each ended
 * one until it is dismissed, and a peer can name a new job in every event: without a bound a
 * burst of such events grows the list (and every VM snapshot that carries it) without end.
 */
export const MAX_JOB_ROWS = 200;

/** Drops the oldest ended rows (then the oldest of all) past {@link MAX_JOB_ROWS}; edits `rows`. */
export function boundJobRows(rows: Map<string, JobRow>, max = MAX_JOB_ROWS): Map<string, JobRow> {
  if (rows.size <= max) return rows; // the usual case, asked on every job event: no iterator for it
  for (const [id, row] of rows) {
    if (rows.size <= max) return rows;
    if (!isJobActive(row) || row.outcome !== undefined) rows.delete(id);
  }
  for (const id of rows.keys()) {
    if (rows.size <= max) break;
    rows.delete(id);
  }
  return rows;
}

/**
 * Applies one event to the rows, in place (a copy per event cost a flood of job events more
 * than everything else the core does with them), and returns them.
 *
 * Each changed row is one {@link copyRow} with its fields then set one by one: building it from
 * spreads of optional parts cost a flood of block job events about 5 µs per event.
 */
export function applyJobEvent(rows: Map<string, JobRow>, event: QmpEvent, at: number): Map<string, JobRow> {
  const data = event.data;
  const id = stringOf(data, 'id') ?? stringOf(data, 'device');
  if (id === undefined || !JOB_EVENTS.has(event.event)) return rows;
  const row = rows.get(id) ?? blankRow(id, at);
  const next = copyRow(row, at);
  switch (event.event) {
    case 'JOB_STATUS_CHANGE': {
      const status = stringOf(data, 'status') ?? row.state;
      if (status === 'null') {
        next.inQemu = false;
        next.outcome = outcomeOf(row);
      } else {
        next.state = status;
        if (status === 'concluded') next.outcome = outcomeOf(row);
        next.inQemu = true;
      }
      break;
    }
    case 'BLOCK_JOB_COMPLETED':
    case 'BLOCK_JOB_CANCELLED': {
      setBlockProgress(next, data);
      const error = stringOf(data, 'error');
      if (error !== undefined) next.error = error;
      next.outcome = event.event === 'BLOCK_JOB_CANCELLED' ? 'cancelled' : error !== undefined ? 'failed' : 'completed';
      break;
    }
    case 'BLOCK_JOB_ERROR':
      next.error = `${stringOf(data, 'operation') ?? 'I/O'} error (action: ${stringOf(data, 'action') ?? 'report'})`;
      break;
    default:
      setBlockProgress(next, data);
  }
  rows.set(id, next);
  return rows;
}

/** The fields {@link copyRow} copies; the check below fails to compile when JobRow grows one it misses. */
type CopiedField = 'id' | 'type' | 'state' | 'current' | 'total' | 'updatedAt' | 'inQemu' | 'rate' | 'speedLimit' | 'userPaused' | 'error' | 'outcome';
const everyFieldCopied: [Exclude<keyof JobRow, CopiedField>] extends [never] ? true : never = true;
void everyFieldCopied;

/**
 * A copy of `row` updated at `at`, field by field. A spread (`{ ...row }`) of rows that took
 * their optional fields in different orders has many shapes, and V8 then copies each one on
 * its slow path: about four times the cost of this, on every job event of a flood.
 */
function copyRow(row: JobRow, at: number): JobRow {
  const copy: JobRow = { id: row.id, type: row.type, state: row.state, current: row.current, total: row.total, updatedAt: at, inQemu: row.inQemu };
  if (row.rate !== undefined) copy.rate = row.rate;
  if (row.speedLimit !== undefined) copy.speedLimit = row.speedLimit;
  if (row.userPaused !== undefined) copy.userPaused = row.userPaused;
  if (row.error !== undefined) copy.error = row.error;
  if (row.outcome !== undefined) copy.outcome = row.outcome;
  return copy;
}

/** Sets type, offset/len and speed of a block job report or event on `row`, where present. */
function setBlockProgress(row: JobRow, data: JsonObject | undefined): void {
  const type = stringOf(data, 'type');
  const current = numberOf(data, 'offset');
  const total = numberOf(data, 'len');
  const speedLimit = numberOf(data, 'speed');
  if (type !== undefined) row.type = type;
  if (current !== undefined) row.current = current;
  if (total !== undefined) row.total = total;
  if (speedLimit !== undefined) row.speedLimit = speedLimit;
}

/**
 * Merges one read of query-jobs and query-block-jobs into the rows.
 *
 * A listed job is updated (its rate measured from the last read); a row QEMU no longer lists
 * has ended. `jobs` or `blockJobs` is undefined when that read failed: nothing is concluded
 * from a missing answer.
 */
export function mergeJobReads(
  rows: ReadonlyMap<string, JobRow>,
  jobs: JsonValue | undefined,
  blockJobs: JsonValue | undefined,
  at: number,
): Map<string, JobRow> {
  const next = new Map(rows);
  const listed = new Set<string>();
  for (const info of objectsOf(jobs)) {
    const id = stringOf(info, 'id');
    if (id === undefined) continue;
    listed.add(id);
    const row = next.get(id) ?? blankRow(id, at);
    const state = stringOf(info, 'status') ?? row.state;
    const error = stringOf(info, 'error');
    next.set(id, {
      ...withProgress(row, numberOf(info, 'current-progress'), numberOf(info, 'total-progress'), at),
      type: stringOf(info, 'type') ?? row.type,
      state,
      // Generic jobs report no user pause: a paused job is one Resume can wake.
      userPaused: state === 'paused' || state === 'standby',
      ...(error !== undefined ? { error } : {}),
      inQemu: true,
    });
  }
  for (const info of objectsOf(blockJobs)) {
    // query-block-jobs names the job in `device`: its job id (the node name only when no id was given).
    const id = stringOf(info, 'device');
    if (id === undefined) continue;
    listed.add(id);
    const row = next.get(id) ?? blankRow(id, at);
    const speedLimit = numberOf(info, 'speed');
    const paused = booleanOf(info, 'paused');
    next.set(id, {
      ...withProgress(row, numberOf(info, 'offset'), numberOf(info, 'len'), at),
      type: stringOf(info, 'type') ?? row.type,
      state: stringOf(info, 'status') ?? row.state,
      ...(speedLimit !== undefined ? { speedLimit } : {}),
      ...(paused !== undefined ? { userPaused: paused } : {}),
      inQemu: true,
    });
  }
  if (jobs !== undefined && blockJobs !== undefined) {
    for (const [id, row] of next) if (row.inQemu && !listed.has(id)) next.set(id, ended(row, at));
  }
  return next;
}

/** New progress numbers where the read has them. */
function withProgress(row: JobRow, current: number | undefined, total: number | undefined, at: number): JobRow {
  return { ...row, ...(current !== undefined ? { current } : {}), ...(total !== undefined ? { total } : {}), updatedAt: at };
}

/** Bytes done at a moment, per job: what the next read's rate is measured against. */
export type ProgressSamples = ReadonlyMap<string, { readonly current: number; readonly at: number }>;

/**
 * Sets each live row's rate from the bytes done since the previous read (events in between
 * do not count: only reads measure), and returns the samples for the next read.
 */
export function measureRates(rows: Map<string, JobRow>, samples: ProgressSamples, at: number): ProgressSamples {
  const next = new Map<string, { current: number; at: number }>();
  for (const [id, row] of rows) {
    if (!row.inQemu) continue;
    const previous = samples.get(id);
    if (previous && at > previous.at && row.current >= previous.current) {
      rows.set(id, { ...row, rate: ((row.current - previous.current) * 1000) / (at - previous.at) });
    }
    next.set(id, { current: row.current, at });
  }
  return next;
}
