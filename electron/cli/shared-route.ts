/**
 * Routes a CLI connection through a shared endpoint when the app or a proxy holds the target.
 *
 * QEMU gives a monitor to one client; while the app watches a VM, a direct `exec` would
 * wait for a greeting until `--timeout` (issue 11). The held-target registry says who holds
 * it and where it is shared; `--direct` skips this (to test QEMU itself, or when a stale
 * holder misbehaves), `--verbose` says which way was taken, once per target.
 */
import { endpointTarget, findHeldTarget } from '../core/share/held-targets';
import { formatTarget, parseTarget } from '../core/qmp/target';
import type { QmpTarget } from '../core/qmp/types';
import { writeLine } from './output';

const announced = new Set<string>();

/** The shared endpoint to use instead of `target`, or undefined to connect directly. */
export async function sharedRouteFor(target: QmpTarget, verbose: boolean): Promise<QmpTarget | undefined> {
  const text = formatTarget(target);
  let held;
  try {
    held = await findHeldTarget(text);
  } catch {
    return undefined; // an unreadable registry must never stop a direct connection
  }
  const via = held ? endpointTarget(held.endpoint) : undefined;
  if (!held || via === undefined) return undefined;
  if (verbose && !announced.has(text)) {
    announced.add(text);
    writeLine(process.stderr, `qmp-monitor: ${text} is held by ${held.holder} (pid ${held.pid}); using its shared endpoint ${via} (--direct bypasses it)`);
  }
  return parseTarget(via);
}
