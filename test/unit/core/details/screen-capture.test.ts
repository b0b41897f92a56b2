/**
 * ScreenCapture's own rules, with a stand-in client where QEMU cannot show them: the private
 * folder (0700, gone afterwards), PNG vs PPM by the schema (the real 7.2 schema offers PNG),
 * remote QEMU never asked, and QEMU's words turned into notes.
 */
import { statSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QmpClient } from '../../../../electron/core/qmp/qmp-client';
import { QmpCommandError, QmpConnectionError } from '../../../../electron/core/qmp/errors';
import { ScreenCapture } from '../../../../electron/core/details/screen-capture';
import { screendumpTakesPng } from '../../../../electron/core/details/png-support';
import { failureNote } from '../../../../electron/core/details/screen-notes';
import { makeTempDir, removeTempDir } from '../../../support/temp-dirs';
import { schemaInfo72 } from '../../../support/schema-fixture';

const root = makeTempDir('qmp-screen-unit-');
afterAll(() => removeTempDir(root));

type Call = { command: string; args: Record<string, unknown>; folderMode: number };

/** A client that writes what `write` returns where screendump is told to, recording each call. */
function fakeClient(target: QmpClient['target'], write: (args: Record<string, unknown>) => Buffer | Error): { client: QmpClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    target,
    execute: async (command: string, args: Record<string, unknown>) => {
      const file = String(args.filename);
      calls.push({ command, args, folderMode: statSync(dirname(file)).mode & 0o777 });
      const result = write(args);
      if (result instanceof Error) throw result;
      writeFileSync(file, result);
      return {};
    },
  } as unknown as QmpClient;
  return { client, calls };
}

const ppm = Buffer.concat([Buffer.from('P6\n4 3\n255\n'), Buffer.alloc(4 * 3 * 3, 0x80)]);

describe('ScreenCapture', () => {
  it('converts PPM when the schema has no PNG format, in a 0700 folder that is removed afterwards', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: root });
    const { client, calls } = fakeClient({ kind: 'unix', path: '/x.sock' }, () => ppm);
    const shot = await capture.capture(client);
    expect(shot).toMatchObject({ available: true, width: 4, height: 3, format: 'ppm' });
    expect(shot.available && shot.dataUrl.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).not.toHaveProperty('format');
    expect(calls[0]!.folderMode).toBe(0o700);
    expect(readdirSync(root)).toEqual([]);
  });

  it('asks for PNG where the schema offers it, and reads the schema once per connection', async () => {
    let schemaReads = 0;
    const schema = JSON.stringify(schemaInfo72());
    const capture = new ScreenCapture({ schemaJson: async () => (schemaReads++, schema), tempRoot: root });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
    const { client, calls } = fakeClient({ kind: 'unix', path: '/x.sock' }, () => png);
    expect(await capture.capture(client)).toMatchObject({ available: true, width: 1, height: 1, format: 'png' });
    await capture.capture(client);
    expect(calls.map((c) => c.args.format)).toEqual(['png', 'png']);
    expect(schemaReads).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });

  it('never runs screendump on a QEMU on another host', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: root });
    const { client, calls } = fakeClient({ kind: 'tcp', host: '192.0.2.7', port: 4444 }, () => ppm);
    expect(await capture.capture(client)).toMatchObject({ available: false, kind: 'remote', note: expect.stringMatching(/another host \(192\.0\.2\.7\)/) });
    expect(calls).toEqual([]);
  });

  it('tries a loopback TCP monitor, which is this host', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: root });
    const { client, calls } = fakeClient({ kind: 'tcp', host: '127.0.0.1', port: 4444 }, () => ppm);
    expect(await capture.capture(client)).toMatchObject({ available: true });
    expect(calls).toHaveLength(1);
  });

  it('turns a failure into a note and still removes the folder', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: root });
    const { client } = fakeClient({ kind: 'unix', path: '/x.sock' }, (args) => new QmpCommandError('GenericError', `failed to open file '${String(args.filename)}': Permission denied`));
    expect(await capture.capture(client)).toMatchObject({ available: false, kind: 'unwritable' });
    expect(readdirSync(root)).toEqual([]);
  });

  it('gives a note when no private folder can be made', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: `${root}/missing/deeper` });
    const { client, calls } = fakeClient({ kind: 'unix', path: '/x.sock' }, () => ppm);
    expect(await capture.capture(client)).toMatchObject({ available: false, kind: 'error', note: expect.stringMatching(/no private temporary folder/) });
    expect(calls).toEqual([]);
  });

  it('says so when the file QEMU wrote is not a picture', async () => {
    const capture = new ScreenCapture({ schemaJson: async () => '[]', tempRoot: root });
    const { client } = fakeClient({ kind: 'unix', path: '/x.sock' }, () => Buffer.from('garbage'));
    expect(await capture.capture(client)).toMatchObject({ available: false, kind: 'error', note: expect.stringMatching(/not a binary PPM/) });
  });
});

describe('failureNote', () => {
  it('reads QEMU 7.2\'s words', () => {
    expect(failureNote(new QmpCommandError('GenericError', 'There is no console to take a screendump from'))).toMatchObject({ kind: 'no-display', note: expect.stringMatching(/-vga std/) });
    expect(failureNote(new QmpCommandError('CommandNotFound', "The command screendump has not been found"))).toMatchObject({ kind: 'unsupported' });
    expect(failureNote(new QmpCommandError('DeviceNotFound', "Device 'x' not found"))).toMatchObject({ kind: 'error', note: "screendump failed: DeviceNotFound: Device 'x' not found" });
    expect(failureNote(new QmpConnectionError('socket closed'))).toMatchObject({ kind: 'not-connected' });
    // A forwarded socket: QEMU is elsewhere and our folder does not exist there.
    expect(failureNote(new QmpCommandError('GenericError', "failed to open file '/tmp/qmp-monitor-screen-x/screen.png': No such file or directory"))).toMatchObject({ kind: 'unseen', note: expect.stringMatching(/another host/) });
  });
});

describe('screendumpTakesPng', () => {
  it('finds png in the real 7.2 schema and nothing in schemas without it', () => {
    expect(screendumpTakesPng(JSON.stringify(schemaInfo72()))).toBe(true);
    expect(screendumpTakesPng('[{"name":"screendump","meta-type":"command","arg-type":"1"},{"name":"1","meta-type":"object","members":[{"name":"filename","type":"str"}]}]')).toBe(false);
    expect(screendumpTakesPng('[{"name":"screendump","meta-type":"command","arg-type":"1"},{"name":"1","meta-type":"object","members":[{"name":"format","type":"2"}]},{"name":"2","meta-type":"enum","values":["ppm"]}]')).toBe(false);
    expect(screendumpTakesPng('not json')).toBe(false);
    expect(screendumpTakesPng('{}')).toBe(false);
  });
});
