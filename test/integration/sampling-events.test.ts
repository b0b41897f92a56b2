/**
 * What the sampler keeps current from QEMU's events rather than by asking each second: the
 * balloon from BALLOON_CHANGE, guest memory re-read after DEVICE_ADDED. A paused test QEMU has
 * no guest driver to move its balloon, so the fake QMP peer plays those events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import { VmSampler } from '../../electron/core/sampling/vm-sampler';
import { startFakeQmpServer, type FakeQmpServer } from '../support/fake-qmp-server';
import { waitFor } from '../support/qemu';

const MIB = 1024 * 1024;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('sampler and events', () => {
  it('reads the balloon and guest memory once, then follows BALLOON_CHANGE and re-reads memory after DEVICE_ADDED', async () => {
    let memory = 128 * MIB;
    const server: FakeQmpServer = await startFakeQmpServer({
      onCommand: (command, connection) => {
        if (command.execute === 'query-cpus-fast' || command.execute === 'query-blockstats') void connection.reply(command, []);
        if (command.execute === 'query-memory-size-summary') void connection.reply(command, { 'base-memory': memory });
        if (command.execute === 'query-balloon') void connection.reply(command, { actual: 128 * MIB });
      },
    });
    cleanups.push(() => server.close());
    const client = await QmpClient.connect(parseTarget(server.target));
    cleanups.push(() => client.close());
    const sampler = new VmSampler({ client, onClientChange: () => () => undefined });
    cleanups.push(() => sampler.dispose());
    sampler.watch(250, 60_000);
    const connection = await server.nextConnection();
    const asked = (name: string) => connection.commands.filter((c) => c.execute === name).length;
    const latest = () => sampler.page(0).samples.at(-1);

    await waitFor(() => sampler.page(0).samples.length >= 3, 'three samples', 30_000);
    expect(latest()).toMatchObject({ balloonBytes: 128 * MIB, guestMemoryBytes: 128 * MIB });
    expect(asked('query-balloon')).toBe(1);
    expect(asked('query-memory-size-summary')).toBe(1);

    await connection.event('BALLOON_CHANGE', { actual: 64 * MIB });
    await waitFor(() => latest()?.balloonBytes === 64 * MIB, 'the announced balloon size', 30_000);
    expect(asked('query-balloon')).toBe(1);

    memory = 256 * MIB;
    await connection.event('DEVICE_ADDED', { device: 'dimm0', path: '/machine/peripheral/dimm0' });
    await waitFor(() => latest()?.guestMemoryBytes === 256 * MIB, 'the re-read guest memory', 30_000);
    expect(asked('query-memory-size-summary')).toBe(2);
  }, 60_000);
});
