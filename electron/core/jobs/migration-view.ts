/**
 * Pure steps from `query-migrate` replies and MIGRATION / MIGRATION_PASS events to the
 * migration view the UI shows, with the transferred-bytes history of the run in progress.
 */
import type { MigrationView } from '../../common/jobs-models';
import type { JsonValue } from '../../common/json-text';
import { isJsonObject } from '../../common/json-text';
import type { QmpEvent } from '../qmp/types';
import { numberOf, objectOf, stringOf } from './qmp-values';

/** Points kept for the chart: 10 minutes at one read per 500 ms. */
export const MIGRATION_HISTORY_POINTS = 1200;

/** Statuses in which a migration still moves (polled); the others are where it rests. */
const MOVING: ReadonlySet<string> = new Set([
  'setup',
  'active',
  'pre-switchover',
  'device',
  'postcopy-active',
  'postcopy-paused',
  'postcopy-recover',
  'cancelling',
  'wait-unplug',
]);

/** True while the migration's numbers change (worth polling). */
export function isMigrationMoving(view: MigrationView | undefined): boolean {
  return view !== undefined && MOVING.has(view.status);
}

/**
 * A fresh run begins (its history starts empty) at `setup`, from nothing, or when QEMU's clock
 * for the run went back (a later migration first seen as `active`). Not merely because a resting
 * view meets a moving status: a read sent before the `completed` event can answer after it.
 */
function startsNewRun(previous: MigrationView | undefined, status: string, totalTime?: number): boolean {
  if (!MOVING.has(status)) return false;
  if (previous === undefined || previous.status === 'none') return true;
  if (status === 'setup') return previous.status !== 'setup';
  return totalTime !== undefined && previous.totalTime !== undefined && totalTime < previous.totalTime;
}

/** The view after one query-migrate reply. */
export function migrationFromReply(previous: MigrationView | undefined, reply: JsonValue, at: number): MigrationView {
  const info = isJsonObject(reply) ? reply : {};
  const status = stringOf(info, 'status') ?? 'none';
  const ram = objectOf(info, 'ram');
  const history = startsNewRun(previous, status, numberOf(info, 'total-time')) ? [] : [...(previous?.history ?? [])];
  const transferred = numberOf(ram, 'transferred');
  if (transferred !== undefined && (MOVING.has(status) || history.length > 0)) history.push([at, transferred]);
  if (history.length > MIGRATION_HISTORY_POINTS) history.splice(0, history.length - MIGRATION_HISTORY_POINTS);
  const error = stringOf(info, 'error-desc');
  const view: Record<string, unknown> = {
    status,
    transferred,
    remaining: numberOf(ram, 'remaining'),
    total: numberOf(ram, 'total'),
    mbps: numberOf(ram, 'mbps'),
    pagesPerSecond: numberOf(ram, 'pages-per-second'),
    dirtyPageRate: numberOf(ram, 'dirty-pages-rate'),
    passes: numberOf(ram, 'dirty-sync-count') ?? previous?.passes,
    downtime: numberOf(info, 'downtime'),
    expectedDowntime: numberOf(info, 'expected-downtime'),
    totalTime: numberOf(info, 'total-time'),
    error,
    history,
    updatedAt: at,
  };
  for (const key of Object.keys(view)) if (view[key] === undefined) delete view[key];
  return view as MigrationView;
}

/** The view after a MIGRATION or MIGRATION_PASS event (undefined: not a migration event). */
export function migrationFromEvent(previous: MigrationView | undefined, event: QmpEvent, at: number): MigrationView | undefined {
  if (event.event === 'MIGRATION') {
    const status = stringOf(event.data, 'status') ?? previous?.status ?? 'none';
    const base: MigrationView = startsNewRun(previous, status) ? { status, history: [], updatedAt: at } : { ...(previous ?? { history: [] }), status, updatedAt: at };
    return base;
  }
  if (event.event === 'MIGRATION_PASS') {
    const pass = numberOf(event.data, 'pass');
    return { ...(previous ?? { status: 'active', history: [] }), ...(pass !== undefined ? { passes: pass } : {}), updatedAt: at };
  }
  return undefined;
}
