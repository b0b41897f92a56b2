/**
 * readRunState's race rule. The interleaving (an event handed to us while a query-status is in
 * flight) cannot be produced on demand with QEMU, so a scripted client stands in here; the
 * normal path is covered against real QEMU in test/integration/service-qemu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { QmpClient } from '../../../electron/core/qmp/qmp-client';
import { QmpTimeoutError } from '../../../electron/core/qmp/errors';
import { readRunState } from '../../../electron/core/vm/vm-reads';

function scripted(replies: (() => unknown)[]): { client: QmpClient; calls: () => number } {
  let calls = 0;
  const client = {
    execute: async () => {
      const next = replies[calls++];
      if (!next) throw new Error('unexpected extra call');
      return next();
    },
  } as unknown as QmpClient;
  return { client, calls: () => calls };
}

describe('readRunState', () => {
  it('trusts a reply that no run-state event raced with', async () => {
    const { client, calls } = scripted([() => ({ status: 'prelaunch', running: false })]);
    expect(await readRunState(client, () => 0)).toMatchObject({ status: 'prelaunch', running: false, source: 'query-status' });
    expect(calls()).toBe(1);
  });

  it('names what asked for the read in the source', async () => {
    const { client } = scripted([() => ({ status: 'postmigrate', running: false })]);
    expect(await readRunState(client, () => 0, 'query-status (after STOP event)')).toMatchObject({ status: 'postmigrate', source: 'query-status (after STOP event)' });
  });

  it('reads again when an event arrived while the read was in flight', async () => {
    let events = 0;
    const { client, calls } = scripted([
      () => ((events += 1), { status: 'running', running: true }),
      () => ({ status: 'paused', running: false }),
    ]);
    expect(await readRunState(client, () => events)).toMatchObject({ status: 'paused' });
    expect(calls()).toBe(2);
  });

  it('gives up (keeping what events said) when every read races, and on failures', async () => {
    let events = 0;
    const racing = scripted(Array.from({ length: 5 }, () => () => ((events += 1), { status: 'running', running: true })));
    expect(await readRunState(racing.client, () => events)).toBeUndefined();
    expect(racing.calls()).toBe(5);
    const failing = scripted([
      () => {
        throw new QmpTimeoutError('no reply');
      },
    ]);
    expect(await readRunState(failing.client, () => 0)).toBeUndefined();
  });
});
