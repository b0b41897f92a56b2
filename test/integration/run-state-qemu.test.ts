/**
 * The run state shows QEMU's own status word, never a guess from the STOP event.
 *
 * A STOP leads to many states (paused, postmigrate, shutdown, guest-panicked, watchdog…), so
 * the session must confirm it with query-status. Each case drives a real QEMU 7.2 from a second
 * QMP monitor (QEMU serves one client per monitor) while a VmSession watches the first.
 * Not produced here: io-error (needs guest disk I/O), suspended (needs a guest's ACPI S3) and
 * a guest-initiated shutdown (needs a guest OS answering ACPI).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunState, VmSnapshot } from '../../electron/common/models';
import { QmpConnectionError } from '../../electron/core/qmp/errors';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import type { JsonValue } from '../../electron/common/json-text';
import { VmSession } from '../../electron/core/vm/vm-session';
import { makeTempDir, startQemu, waitFor, type TestQemu } from '../support/qemu';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  readonly qemu: TestQemu;
  /** The test's own monitor (QMP monitor 2). */
  readonly driver: QmpClient;
  readonly session: VmSession;
  /** Every run state the session published, in order. */
  readonly seen: RunState[];
  latest(): VmSnapshot;
}

async function rig(machine: 'none' | 'pc', extraArgs: string[] = []): Promise<Rig> {
  const dir = makeTempDir('qmp-runstate-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const second = join(dir, 'qmp2.sock');
  const qemu = await startQemu({ machine, paused: true, dir, extraArgs: ['-qmp', `unix:${second},server=on,wait=off`, ...extraArgs] });
  cleanups.push(() => qemu.kill());
  let driver: QmpClient | undefined;
  await waitFor(async () => {
    try {
      driver = await QmpClient.connect(parseTarget(`unix:${second}`));
      return true;
    } catch (error) {
      // The second socket may be bound a moment after the first one listens.
      if (error instanceof QmpConnectionError) return false;
      throw error;
    }
  }, 'the second monitor');
  cleanups.push(() => driver!.close());
  const seen: RunState[] = [];
  let snapshot: VmSnapshot | undefined;
  const session = new VmSession({
    config: { id: 'vm', label: 'vm', target: qemu.target, autoConnect: true },
    origin: 'user',
    supervisor: { initialDelayMs: 50, maxDelayMs: 200 },
    onChange: (snap) => {
      if (snap.runState && snap.runState !== snapshot?.runState) seen.push(snap.runState);
      snapshot = snap;
    },
    onEvent: () => undefined,
  });
  cleanups.push(() => session.dispose());
  session.connect();
  await waitFor(() => snapshot?.connection.phase === 'ready' && snapshot.runState?.status === 'prelaunch', 'the session to read prelaunch');
  await driver!.execute('cont');
  await waitFor(() => snapshot?.runState?.status === 'running', 'running');
  return { qemu, driver: driver!, session, seen, latest: () => snapshot! };
}

async function qemuStatus(driver: QmpClient): Promise<string> {
  const reply = (await driver.execute<JsonValue>('query-status')) as { status: string };
  return reply.status;
}

/** Waits until the session shows `status` from query-status, checks QEMU agrees and that it was never shown as paused. */
async function expectConfirmed(r: Rig, status: string): Promise<void> {
  // An event may name the state first (SHUTDOWN, GUEST_PANICKED): wait for QEMU's confirmation.
  await waitFor(() => r.latest().runState?.status === status && r.latest().runState?.source.startsWith('query-status') === true, `the session to show ${status}`, 15_000);
  expect(await qemuStatus(r.driver)).toBe(status);
  expect(r.latest().runState).toMatchObject({ status, running: false, source: 'query-status (after STOP event)' });
  expect(r.seen.map((s) => s.status)).not.toContain('paused');
}

describe('run state after a STOP (real QEMU, two monitors)', () => {
  it('shows postmigrate after a migration, not paused', async () => {
    const r = await rig('none');
    await r.driver.execute('migrate', { uri: 'exec:cat > /dev/null' });
    await waitFor(async () => {
      const info = (await r.driver.execute<JsonValue>('query-migrate')) as { status?: string };
      if (info.status === 'failed') throw new Error('migration failed');
      return info.status === 'completed';
    }, 'the migration to complete');
    await expectConfirmed(r, 'postmigrate');
    // Until query-status answered, the STOP was shown as what it is: not running, status unconfirmed.
    expect(r.seen).toContainEqual(expect.objectContaining({ running: false, source: 'event:STOP (awaiting query-status)' }));
  });

  it('follows finish-migrate to postmigrate, which no event announces', async () => {
    const r = await rig('none');
    // Holds the migration after the STOP, in finish-migrate, until migrate-continue.
    await r.driver.execute('migrate-set-capabilities', { capabilities: [{ capability: 'pause-before-switchover', state: true }] });
    await r.driver.execute('migrate', { uri: 'exec:cat > /dev/null' });
    await expectConfirmed(r, 'finish-migrate');
    await r.driver.execute('migrate-continue', { state: 'pre-switchover' });
    // Migration events are off (QEMU's default), so only re-reading finish-migrate finds this.
    await expectConfirmed(r, 'postmigrate');
  });

  it('shows paused after stop, confirmed by query-status', async () => {
    const r = await rig('none');
    await r.driver.execute('stop');
    await waitFor(() => r.latest().runState?.source === 'query-status (after STOP event)', 'the confirmed pause');
    expect(r.latest().runState).toMatchObject({ status: 'paused', running: false });
    expect(await qemuStatus(r.driver)).toBe('paused');
  });

  it('shows shutdown when a reset is a shutdown and shutdown pauses (-no-reboot -no-shutdown)', async () => {
    const r = await rig('none', ['-no-reboot', '-no-shutdown']);
    await r.driver.execute('system_reset');
    await expectConfirmed(r, 'shutdown');
  });

  it('shows guest-panicked when the guest panics with panic=pause', async () => {
    const r = await rig('pc', ['-device', 'pvpanic', '-action', 'panic=pause']);
    // The pvpanic ISA port: writing bit 0 is what a panicking guest kernel does.
    await r.driver.execute('human-monitor-command', { 'command-line': 'o /b 0x505 1' });
    await expectConfirmed(r, 'guest-panicked');
  });

  it('shows watchdog when the watchdog fires with watchdog=pause', async () => {
    const r = await rig('pc', ['-device', 'ib700', '-action', 'watchdog=pause']);
    // ib700: writing 15 to port 0x443 arms it with a 0 s timeout, so it fires at once.
    await r.driver.execute('human-monitor-command', { 'command-line': 'o /b 0x443 15' });
    await expectConfirmed(r, 'watchdog');
  });
});
