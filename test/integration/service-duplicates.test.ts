/**
 * One QEMU monitor is added once, however its target is spelt: a second session on it would
 * never get QEMU's greeting (one client per monitor) and cycle for ever. Real QEMU monitors,
 * on a unix socket and on TCP.
 */
import { symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, waitFor } from '../support/qemu';
import { useServiceFixture } from '../support/service';

const fixture = useServiceFixture();

async function startService() {
  const { svc, latest } = await fixture.startService();
  return { h: svc.handlers, latest };
}

describe('the same QEMU monitor under another spelling', () => {
  it('refuses a unix socket reached through .. or a symlink, naming the VM by its QMP name', async () => {
    const qemu = await fixture.qemu({ name: 'dup-unix' });
    const { h, latest } = await startService();
    const { config } = await h.addVm({ target: qemu.socketPath!, autoConnect: true });
    await waitFor(() => latest.get(config.id)?.name === 'dup-unix', 'the QMP name');

    // Written out by hand: path.join would resolve the '..' away.
    const dotted = `${qemu.dir}/../${basename(qemu.dir)}/${basename(qemu.socketPath!)}`;
    const link = join(makeTempDir('qmp-dup-link-'), 'vm.sock');
    symlinkSync(qemu.socketPath!, link);
    for (const spelling of [dotted, `unix:${link}`]) {
      await expect(h.addVm({ target: spelling, autoConnect: true })).rejects.toThrow(
        new RegExp(`is already added as 'dup-unix' \\(as unix:${qemu.socketPath!.replace(/[.]/g, '\\.')}, the same monitor\\); QEMU serves one client per monitor`),
      );
    }
    // Editing another VM onto it is refused too; the edited VM keeps its target.
    const other = await h.addVm({ target: join(qemu.dir, 'other.sock'), label: 'other', autoConnect: false });
    await expect(h.updateVm({ id: other.config.id, target: dotted })).rejects.toThrow(/already added as 'dup-unix'/);
    expect((await h.listVms({})).map((v) => v.config.target)).toEqual([config.target, other.config.target]);
    // A socket that does not exist yet is compared by its resolved path.
    await expect(h.addVm({ target: `${qemu.dir}/../${basename(qemu.dir)}/other.sock`, autoConnect: false })).rejects.toThrow(/already added as 'other'/);
  });

  it('refuses localhost:PORT beside tcp:127.0.0.1:PORT, but takes another port on the same host', async () => {
    const qemu = await fixture.qemu({ name: 'dup-tcp', transport: 'tcp' });
    const { h, latest } = await startService();
    const { config } = await h.addVm({ target: `tcp:127.0.0.1:${qemu.port!}`, label: 'by address', autoConnect: true });
    await waitFor(() => latest.get(config.id)?.connection.phase === 'ready', 'ready');
    await expect(h.addVm({ target: `localhost:${qemu.port!}`, autoConnect: true })).rejects.toThrow(
      new RegExp(`^tcp:localhost:${qemu.port!} is already added as 'dup-tcp' \\(as tcp:127\\.0\\.0\\.1:${qemu.port!}, the same monitor\\)`),
    );
    // A different port on the same host is a different monitor.
    await expect(h.addVm({ target: `localhost:${qemu.port! === 65535 ? 1 : qemu.port! + 1}`, autoConnect: false })).resolves.toMatchObject({ origin: 'user' });
    expect(latest.get(config.id)?.connection.phase).toBe('ready');
  });
});
