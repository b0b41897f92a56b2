/**
 * Every recorded transcript's client side, replayed through the multiplexer, gets exactly the
 * messages QEMU gives directly (issue 11), compared live: the same client bytes go to one
 * fresh QEMU directly and to another through a SharedMonitor, and the texts must match
 * byte for byte once event timestamps are blanked (pretty=on: compared parsed, since the
 * multiplexer writes compact lines).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllQemu, makeTempDir, startQemu, type QemuOptions } from '../support/qemu';
import { replayClientSide, shareTarget, withoutTimestamps } from '../support/share-support';
import { loadTranscript, transcriptNames } from '../support/transcripts';

/** The temporary folder of the recording machine, in devices-and-block.jsonl's paths. */
const RECORDED_DIR = '/tmp/qmp-rec-ulw6i0oz';

/** Transcripts whose point is something the multiplexer must do differently, and why. */
const SKIPPED: Record<string, string> = {
  // QEMU queues a second client silently; serving several clients at once is the point of sharing.
  'second-client': 'a second client is served at once through the multiplexer, not queued',
  // Killing QEMU ends the upstream; the multiplexer answers waiting commands with an error
  // before disconnecting, where QEMU's socket just ends (tested in share-qemu.test.ts).
  'qemu-killed': 'QEMU killed: the multiplexer answers waiting commands before disconnecting',
  'qemu-killed-midreply': 'QEMU killed: the multiplexer answers waiting commands before disconnecting',
};

/** The QEMU each transcript was recorded against (test/fixtures/qmp/transcripts/INDEX.md). */
function qemuFor(name: string): QemuOptions {
  const dir = makeTempDir('qmp-share-replay-');
  switch (name) {
    case 'devices-and-block': {
      // As record.py made them: three 64M images, 48M of data in the disk so jobs take a moment.
      for (const image of ['disk', 'backup', 'mirror']) execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, `${image}.qcow2`), '64M']);
      const disk = join(dir, 'disk.qcow2');
      execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 48M', disk], { stdio: 'ignore' });
      return {
        dir,
        machine: 'pc',
        paused: true,
        extraArgs: ['-drive', `if=none,id=d0,file=${disk},format=qcow2`, '-device', 'virtio-blk-pci,drive=d0,id=vblk0', '-device', 'qemu-xhci,id=xhci'],
      };
    }
    case 'events-run-state':
    case 'hmp':
      return { dir, machine: 'pc', paused: true };
    case 'greeting-and-capabilities':
      return { dir, name: 'vm1' };
    case 'pretty':
      return { dir, name: 'vm1', pretty: true };
    case 'tcp':
      return { dir, name: 'vm1', transport: 'tcp' };
    case 'unicode':
      return { dir, name: 'vm-é-✓' };
    default:
      return { dir };
  }
}

afterAll(killAllQemu);

describe('transcripts replayed through the shared endpoint', () => {
  const names = transcriptNames();
  it('covers every transcript, skipping only those with a reason', () => {
    expect(names.length).toBeGreaterThanOrEqual(17);
    for (const skipped of Object.keys(SKIPPED)) expect(names).toContain(skipped);
  });

  for (const name of names.filter((n) => !(n in SKIPPED))) {
    it(`${name}: same replies, ids and events as QEMU directly`, { timeout: 90_000 }, async () => {
      const records = loadTranscript(name);
      const direct = await startQemu(qemuFor(name));
      const viaMux = await startQemu(qemuFor(name));
      const muxDir = makeTempDir('qmp-share-ep-');
      const shared = await shareTarget(viaMux.target, join(muxDir, 'share.sock'));
      try {
        // The recording's temp folder becomes each QEMU's own, and back again in the replies.
        const rewrite = (dir: string) => (data: Buffer) => Buffer.from(data.toString('latin1').replaceAll(RECORDED_DIR, dir), 'latin1');
        const [expected, got] = await Promise.all([
          replayClientSide(direct.target, records, '', rewrite(direct.dir)),
          replayClientSide(`unix:${join(muxDir, 'share.sock')}`, records, '', rewrite(viaMux.dir)),
        ]);
        if (name === 'devices-and-block') {
          // Block jobs run on QEMU's clock: progress in replies and where job events fall
          // between replies vary from run to run, as do generated node names and thread ids, so compare the runs' messages as sets,
          // with progress figures blanked.
          const norm = (text: string, dir: string): string[] =>
            withoutTimestamps(text.replaceAll(dir, '$TMP'))
              .replace(/"(offset|busy|actual-size|status|paused|ready|len|io-status|speed|thread-id)": [^,}]+/g, '"$1": X')
              .replace(/"#block\d+"/g, '"#block"')
              .split('\r\n')
              .sort();
          expect(norm(got.text(), viaMux.dir)).toEqual(norm(expected.text(), direct.dir));
        } else if (name === 'oob') {
          // An OOB reply may overtake in-band ones (that is what OOB is for), and does so by
          // timing even against QEMU directly: in-band replies must keep their order.
          const split = (text: string): [string[], string[]] => {
            const lines = withoutTimestamps(text).split('\r\n');
            return [lines.filter((l) => !l.includes('"id": "oob-')), lines.filter((l) => l.includes('"id": "oob-')).sort()];
          };
          expect(split(got.text())).toEqual(split(expected.text()));
        } else if (name === 'pretty') {
          const blank = (m: object): string => withoutTimestamps(JSON.stringify(m).replace(/"timestamp":\{[^}]*\}/g, '"timestamp":T'));
          expect(got.messages.map(blank)).toEqual(expected.messages.map(blank));
        } else {
          expect(withoutTimestamps(got.text())).toBe(withoutTimestamps(expected.text()));
        }
        expect(got.messages.length).toBeGreaterThan(0);
        expected.close();
        got.close();
      } finally {
        await shared.stop();
        await direct.kill();
        await viaMux.kill();
      }
    });
  }
});
