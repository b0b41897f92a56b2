/**
 * The pure steps behind the job rows and the migration view, fed the event orders QEMU 7.2
 * was seen to send (test/fixtures/qmp/QMP-NOTES.md: backup created → running → paused →
 * running → waiting → pending, BLOCK_JOB_COMPLETED, concluded → null).
 */
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../../../electron/common/jobs-models';
import { jobActionAvailability, JOB_ACTIONS } from '../../../electron/common/job-verbs';
import { applyJobEvent, boundJobRows, isJobActive, MAX_JOB_ROWS, measureRates, mergeJobReads } from '../../../electron/core/jobs/job-rows';
import { isMigrationMoving, migrationFromEvent, migrationFromReply, MIGRATION_HISTORY_POINTS } from '../../../electron/core/jobs/migration-view';
import type { JsonObject } from '../../../electron/common/json-text';

const at = (n: number) => 1_000_000 + n;
const event = (name: string, data: JsonObject) => ({ event: name, timestamp: { seconds: 1, microseconds: 0 }, data });
const status = (id: string, s: string) => event('JOB_STATUS_CHANGE', { id, status: s });

function replay(events: ReturnType<typeof event>[]): Map<string, JobRow> {
  let rows = new Map<string, JobRow>();
  events.forEach((e, i) => (rows = applyJobEvent(rows, e, at(i))));
  return rows;
}

describe('job rows from events', () => {
  it('keeps every field a read set when an event updates the row, and leaves the old row as it was', () => {
    const full: JobRow = { id: 'm1', type: 'mirror', state: 'running', current: 5, total: 10, rate: 2, speedLimit: 7, userPaused: true, error: 'e', outcome: 'failed', updatedAt: at(0), inQemu: true };
    const rows = applyJobEvent(new Map([['m1', full]]), event('BLOCK_JOB_READY', { device: 'm1', len: 18446744073709551615n, offset: 6 }), at(1));
    expect(rows.get('m1')).toStrictEqual({ ...full, current: 6, total: 18446744073709552000, updatedAt: at(1) });
    expect(full.current).toBe(5);
  });

  it('keeps a backup that QEMU auto-dismissed, with its outcome and size', () => {
    const rows = replay([
      ...['created', 'running', 'paused', 'running', 'waiting', 'pending'].map((s) => status('b0', s)),
      event('BLOCK_JOB_COMPLETED', { device: 'b0', type: 'backup', len: 4096, offset: 4096, speed: 0 }),
      status('b0', 'concluded'),
      status('b0', 'null'),
    ]);
    expect(rows.get('b0')).toMatchObject({ type: 'backup', state: 'concluded', current: 4096, total: 4096, outcome: 'completed', inQemu: false });
    expect(isJobActive(rows.get('b0')!)).toBe(false);
  });

  it('records a failed job with QEMU’s error, and a cancelled one as cancelled', () => {
    const rows = replay([
      status('m0', 'running'),
      event('BLOCK_JOB_COMPLETED', { device: 'm0', type: 'mirror', len: 10, offset: 3, speed: 0, error: 'No space left on device' }),
      status('m0', 'null'),
      status('c0', 'running'),
      status('c0', 'aborting'),
      event('BLOCK_JOB_CANCELLED', { device: 'c0', type: 'backup', len: 10, offset: 5, speed: 0 }),
      status('c0', 'null'),
    ]);
    expect(rows.get('m0')).toMatchObject({ outcome: 'failed', error: 'No space left on device', inQemu: false });
    expect(rows.get('c0')).toMatchObject({ outcome: 'cancelled', current: 5, inQemu: false });
  });

  it('keeps at most MAX_JOB_ROWS rows, dropping the oldest ended ones first, whatever a flood names', () => {
    let rows = replay([status('live', 'running')]);
    for (let i = 0; i < 1000; i++) {
      rows = boundJobRows(applyJobEvent(rows, event('BLOCK_JOB_COMPLETED', { device: `d${i}`, type: 'backup', len: 1, offset: 1, speed: 0 }), at(i)));
    }
    expect(rows.size).toBe(MAX_JOB_ROWS);
    expect(rows.get('live')).toMatchObject({ state: 'running' });
    expect(rows.has('d999')).toBe(true);
    expect(rows.has('d0')).toBe(false);
  });

  it('ignores events that are not about jobs', () => {
    const rows = replay([event('STOP', {}), event('DEVICE_DELETED', { device: 'x' })]);
    expect(rows.size).toBe(0);
  });
});

describe('job rows from reads', () => {
  it('merges query-jobs and query-block-jobs, measures the rate between reads, and ends jobs QEMU no longer lists', () => {
    let rows = mergeJobReads(new Map(), [{ id: 'j', type: 'mirror', status: 'running', 'current-progress': 100, 'total-progress': 1000 }], [{ device: 'j', type: 'mirror', offset: 100, len: 1000, speed: 50, paused: false, status: 'running' }], at(0));
    let samples = measureRates(rows, new Map(), at(0));
    rows = mergeJobReads(rows, [{ id: 'j', type: 'mirror', status: 'running', 'current-progress': 600, 'total-progress': 1000 }], [{ device: 'j', type: 'mirror', offset: 600, len: 1000, speed: 50, paused: true, status: 'running' }], at(500));
    samples = measureRates(rows, samples, at(500));
    expect(rows.get('j')).toMatchObject({ current: 600, total: 1000, rate: 1000, speedLimit: 50, userPaused: true, inQemu: true });
    expect(samples.get('j')).toEqual({ current: 600, at: at(500) });
    rows = mergeJobReads(rows, [], [], at(900));
    expect(rows.get('j')).toMatchObject({ inQemu: false, outcome: 'completed' });
  });

  it('concludes nothing from a read that failed', () => {
    const rows = mergeJobReads(new Map([['j', { id: 'j', type: 'backup', state: 'running', current: 1, total: 2, updatedAt: 0, inQemu: true }]]), undefined, [], at(1));
    expect(rows.get('j')?.inQemu).toBe(true);
  });

  it('reads bigint offsets as numbers', () => {
    const rows = mergeJobReads(new Map(), [], [{ device: 'big', type: 'stream', offset: 2n ** 60n, len: 2n ** 61n, status: 'running' }], at(0));
    expect(rows.get('big')).toMatchObject({ current: 2 ** 60, total: 2 ** 61 });
  });
});

describe('job actions follow QEMU’s JobVerbTable', () => {
  const row = (state: string, extra: Partial<JobRow> = {}): JobRow => ({ id: 'j', type: 'mirror', state, current: 0, total: 0, updatedAt: 0, inQemu: true, ...extra });
  const open = (job: JobRow) => JOB_ACTIONS.filter((action) => jobActionAvailability(job, action).enabled);

  it.each([
    ['created', ['pause', 'cancel']],
    ['running', ['pause', 'cancel']],
    ['ready', ['pause', 'cancel', 'complete']],
    ['waiting', ['cancel']],
    ['pending', ['cancel', 'finalize']],
    ['aborting', ['cancel']],
    ['concluded', ['dismiss']],
  ])('in %s: %j', (state, actions) => {
    expect(open(row(state))).toEqual(JOB_ACTIONS.filter((action) => actions.includes(action)));
  });

  it('offers Resume instead of Pause to a job the user paused', () => {
    expect(open(row('paused', { userPaused: true }))).toEqual(['resume', 'cancel']);
    expect(open(row('standby', { userPaused: true }))).toEqual(['resume', 'cancel']);
  });

  it('says why an action is closed, and leaves only Dismiss once QEMU dropped the job', () => {
    expect(jobActionAvailability(row('running'), 'complete')).toEqual({ enabled: false, reason: 'QEMU accepts job-complete only when the job is ready; it is running' });
    const gone = row('concluded', { inQemu: false, outcome: 'completed' });
    expect(open(gone)).toEqual(['dismiss']);
    expect(jobActionAvailability(gone, 'cancel')).toMatchObject({ enabled: false, reason: expect.stringContaining('completed') });
  });
});

describe('the migration view', () => {
  const reply = (s: string, transferred?: number) => ({
    status: s,
    ...(transferred !== undefined ? { ram: { transferred, remaining: 100 - transferred, total: 100, mbps: 8.5, 'pages-per-second': 7, 'dirty-pages-rate': 3, 'dirty-sync-count': 2 } } : {}),
    'expected-downtime': 300,
    'total-time': 12,
  });

  it('starts a history when a migration starts and keeps it once it completes', () => {
    let view = migrationFromReply(undefined, { status: 'none' }, at(0));
    expect(view).toEqual({ status: 'none', history: [], updatedAt: at(0) });
    view = migrationFromReply(view, reply('active', 10), at(1));
    view = migrationFromReply(view, reply('active', 40), at(2));
    expect(isMigrationMoving(view)).toBe(true);
    view = migrationFromReply(view, { ...reply('completed', 100), downtime: 5 }, at(3));
    expect(view).toMatchObject({ status: 'completed', transferred: 100, remaining: 0, total: 100, mbps: 8.5, pagesPerSecond: 7, dirtyPageRate: 3, passes: 2, downtime: 5 });
    expect(view.history).toEqual([[at(1), 10], [at(2), 40], [at(3), 100]]);
    expect(isMigrationMoving(view)).toBe(false);
    // A second migration begins a new history.
    view = migrationFromReply(view, reply('setup', 0), at(4));
    expect(view.history).toEqual([[at(4), 0]]);
  });

  it('bounds the history', () => {
    let view = migrationFromReply(undefined, reply('active', 0), at(0));
    for (let i = 1; i <= MIGRATION_HISTORY_POINTS + 10; i++) view = migrationFromReply(view, reply('active', 1), at(i));
    expect(view.history).toHaveLength(MIGRATION_HISTORY_POINTS);
  });

  it('takes MIGRATION and MIGRATION_PASS events at once', () => {
    let view = migrationFromEvent(undefined, event('MIGRATION', { status: 'setup' }), at(0))!;
    view = migrationFromEvent(view, event('MIGRATION_PASS', { pass: 3 }), at(1))!;
    expect(view).toMatchObject({ status: 'setup', passes: 3 });
    expect(migrationFromEvent(view, event('STOP', {}), at(2))).toBeUndefined();
  });
});

describe('the migration history across a read that raced the completed event', () => {
  it('keeps the run’s history when a stale active reply lands after MIGRATION completed', () => {
    let view = migrationFromReply(undefined, { status: 'active', 'total-time': 5, ram: { transferred: 10 } }, at(0));
    view = migrationFromEvent(view, event('MIGRATION', { status: 'completed' }), at(1))!;
    view = migrationFromReply(view, { status: 'active', 'total-time': 9, ram: { transferred: 20 } }, at(2));
    view = migrationFromReply(view, { status: 'completed', 'total-time': 12, ram: { transferred: 30 } }, at(3));
    expect(view.history.map(([, bytes]) => bytes)).toEqual([10, 20, 30]);
    // A later migration restarts QEMU's clock: a new history.
    view = migrationFromReply(view, { status: 'active', 'total-time': 2, ram: { transferred: 1 } }, at(4));
    expect(view.history).toEqual([[at(4), 1]]);
  });
});
