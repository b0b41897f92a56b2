/**
 * The VM's screen and the QOM browser's requests against real QEMU 7.2 (`-M pc -S`):
 * a real PNG of the display's size (from `format: png`, and from PPM converted by the core),
 * a clear note without a display, and QOM listing, reading, setting and reading back.
 */
import { describe, expect, it } from 'vitest';
import { QmpClient } from '../../electron/core/qmp/qmp-client';
import { parseTarget } from '../../electron/core/qmp/target';
import { ScreenCapture } from '../../electron/core/details/screen-capture';
import { readdirSync } from 'node:fs';
import { makeTempDir, removeTempDir, waitFor } from '../support/qemu';
import { useServiceFixture, type TestService } from '../support/service';

const { startService, qemu } = useServiceFixture();

/** Width and height from the PNG's IHDR, decoded here independently of the core. */
function pngHeader(dataUrl: string): { signature: string; width: number; height: number } {
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  return { signature: bytes.subarray(0, 8).toString('hex'), width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
const PNG_SIGNATURE = '89504e470d0a1a0a';

async function readyVm(service: TestService, target: string): Promise<string> {
  const { config } = await service.svc.handlers.addVm({ target, autoConnect: true });
  await waitFor(() => service.latest.get(config.id)?.connection.phase === 'ready', 'the VM to be ready', 30_000);
  return config.id;
}

describe('getScreenshot on real QEMU', () => {
  it('gives a PNG of the display\'s size with -vga std -display none, and leaves no command marker', async () => {
    const q = await qemu({ machine: 'pc', extraArgs: ['-vga', 'std'] });
    const service = await startService();
    const vmId = await readyVm(service, q.target);
    const shot = await service.svc.handlers.getScreenshot({ vmId });
    if (!shot.available) throw new Error(`no picture: ${shot.note}`);
    expect(shot.format).toBe('png');
    expect(pngHeader(shot.dataUrl)).toEqual({ signature: PNG_SIGNATURE, width: shot.width, height: shot.height });
    // SeaBIOS has not run (-S): the std VGA's console is at its initial 640x480.
    expect([shot.width, shot.height]).toEqual([640, 480]);
    const { events } = await service.svc.handlers.getEvents({ afterSeq: -1, limit: 10_000 });
    expect(events.filter((e) => e.marker === 'command')).toEqual([]);
  });

  it('converts QEMU\'s PPM to the same size when PNG is not offered', async () => {
    const q = await qemu({ machine: 'pc', extraArgs: ['-vga', 'std'] });
    const client = await QmpClient.connect(parseTarget(q.target));
    const tempRoot = makeTempDir('qmp-screen-');
    try {
      const shot = await new ScreenCapture({ schemaJson: async () => '[]', tempRoot }).capture(client);
      if (!shot.available) throw new Error(`no picture: ${shot.note}`);
      expect(shot.format).toBe('ppm');
      expect(pngHeader(shot.dataUrl)).toEqual({ signature: PNG_SIGNATURE, width: 640, height: 480 });
      // QEMU's file and its private folder are gone once the picture is read.
      expect(readdirSync(tempRoot)).toEqual([]);
    } finally {
      await client.close();
      removeTempDir(tempRoot);
    }
  });

  it('takes the picture of a QEMU on a loopback TCP monitor, which is this host', async () => {
    const q = await qemu({ machine: 'pc', transport: 'tcp', extraArgs: ['-vga', 'std'] });
    const service = await startService();
    const vmId = await readyVm(service, q.target);
    expect(await service.svc.handlers.getScreenshot({ vmId })).toMatchObject({ available: true, width: 640, height: 480 });
  });

  it('says there is no display instead of a broken image', async () => {
    const q = await qemu({ machine: 'pc' });
    const service = await startService();
    const vmId = await readyVm(service, q.target);
    expect(await service.svc.handlers.getScreenshot({ vmId })).toMatchObject({ available: false, kind: 'no-display', note: expect.stringMatching(/no display/) });
  });
});

describe('QOM requests on real QEMU', () => {
  it('lists /machine/peripheral*, reads values and links, and shows a failed read\'s error', async () => {
    const q = await qemu({ machine: 'pc', extraArgs: ['-device', 'virtio-rng-pci,id=rng0', '-object', 'iothread,id=io0'] });
    const service = await startService();
    const vmId = await readyVm(service, q.target);
    const { handlers } = service.svc;
    const machine = (await handlers.qomList({ vmId, path: '/machine' })).properties;
    expect(machine).toEqual(expect.arrayContaining([{ name: 'peripheral', type: 'child<container>' }, { name: 'peripheral-anon', type: 'child<container>' }]));
    const peripheral = (await handlers.qomList({ vmId, path: '/machine/peripheral' })).properties;
    expect(peripheral).toContainEqual({ name: 'rng0', type: 'child<virtio-rng-pci>' });
    const rng = (await handlers.qomList({ vmId, path: '/machine/peripheral/rng0' })).properties;
    expect(rng).toContainEqual({ name: 'rng', type: 'link<rng-backend>' });
    expect(await handlers.qomGet({ vmId, path: '/machine/peripheral/rng0', property: 'type' })).toMatchObject({ ok: true, returnJson: '"virtio-rng-pci"' });
    expect(await handlers.qomGet({ vmId, path: '/machine/peripheral/rng0', property: 'rng' })).toMatchObject({ ok: true, returnJson: expect.stringMatching(/^"\/machine\/peripheral\/rng0\/.+"$/) });
    expect(await handlers.qomGet({ vmId, path: '/machine/peripheral/rng0', property: 'nope' })).toMatchObject({ ok: false, errorClass: 'GenericError', desc: "Property 'virtio-rng-pci.nope' not found" });
    await expect(handlers.qomList({ vmId, path: '/machine/none-such' })).rejects.toThrow(/DeviceNotFound|not found/);
    const { events } = await handlers.getEvents({ afterSeq: -1, limit: 10_000 });
    expect(events.filter((e) => e.marker === 'command')).toEqual([]);
  });

  it('sets a writable property, reads it back, and marks the qom-set in the timeline', async () => {
    const q = await qemu({ machine: 'pc', extraArgs: ['-object', 'iothread,id=io0'] });
    const service = await startService();
    const vmId = await readyVm(service, q.target);
    const { handlers } = service.svc;
    const result = await handlers.qomSet({ vmId, path: '/objects/io0', property: 'poll-max-ns', valueJson: '12345' });
    expect(result.set.ok).toBe(true);
    expect(result.readBack).toMatchObject({ ok: true, returnJson: '12345' });
    expect(await handlers.qomGet({ vmId, path: '/objects/io0', property: 'poll-max-ns' })).toMatchObject({ ok: true, returnJson: '12345' });
    const { events } = await handlers.getEvents({ afterSeq: -1, limit: 10_000 });
    expect(events.some((e) => e.marker === 'command' && e.event === 'qom-set')).toBe(true);

    const refused = await handlers.qomSet({ vmId, path: '/objects/io0', property: 'poll-max-ns', valueJson: '"many"' });
    expect(refused.set).toMatchObject({ ok: false, errorClass: 'GenericError' });
    expect(refused.readBack).toBeUndefined();
    expect((await handlers.qomSet({ vmId, path: '/objects/io0', property: 'poll-max-ns', valueJson: '{' })).set).toMatchObject({ ok: false, errorClass: 'invalid-arguments' });
  });
});
