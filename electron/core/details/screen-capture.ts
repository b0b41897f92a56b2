/**
 * Takes a picture of a VM's display with `screendump`, for the status page's thumbnail.
 *
 * QEMU writes the file itself, so it goes into a fresh private folder (mkdtemp: mode 0700)
 * that is removed as soon as the picture is read: no other user can read a guest's screen in
 * between. PNG where the build's schema offers `format`, else PPM converted here. Remote QEMU,
 * no display, or a file QEMU wrote where this app cannot see it give a note instead
 * (screen-notes.ts). The reads go straight to the VM's client, not the console's command
 * path: a refresh every few seconds must not fill the timeline with command markers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Screenshot } from '../../common/vm-details-shapes';
import type { QmpClient } from '../qmp/qmp-client';
import { isLocalHost } from './local-host';
import { screendumpTakesPng } from './png-support';
import { pngSize } from './png-size';
import { ppmToPng } from './ppm-to-png';
import { failureNote, remoteNote, unseenNote } from './screen-notes';

/** A screendump of a 4K console on a busy machine is still well within this. */
const SCREENDUMP_TIMEOUT_MS = 20_000;

/** What a capture needs besides the client: the build's schema (cached by the core). */
export interface ScreenCaptureOptions {
  /** The connected build's `query-qmp-schema` as JSON text. */
  readonly schemaJson: (client: QmpClient) => Promise<string>;
  /** Folder the private folders are made in (default: the OS temporary folder). */
  readonly tempRoot?: string;
}

/** Takes screendumps; remembers per connection whether PNG is offered. */
export class ScreenCapture {
  private readonly png = new WeakMap<QmpClient, Promise<boolean>>();

  public constructor(private readonly options: ScreenCaptureOptions) {}

  /** A picture of the display of the VM behind `client`, or the note that says why not. Never throws. */
  public async capture(client: QmpClient): Promise<Screenshot> {
    if (client.target.kind === 'tcp' && !(await isLocalHost(client.target.host))) return remoteNote(client.target.host);
    const png = await this.takesPng(client);
    let folder: string;
    try {
      folder = await mkdtemp(join(this.options.tempRoot ?? tmpdir(), 'qmp-monitor-screen-'));
    } catch (error) {
      return { available: false, kind: 'error', note: `No picture: no private temporary folder could be made (${(error as Error).message}).` };
    }
    try {
      const file = join(folder, png ? 'screen.png' : 'screen.ppm');
      try {
        await client.execute('screendump', { filename: file, ...(png ? { format: 'png' } : {}) }, { timeoutMs: SCREENDUMP_TIMEOUT_MS });
      } catch (error) {
        return failureNote(error);
      }
      const takenAt = Date.now();
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch {
        return unseenNote();
      }
      try {
        const picture = png ? data : ppmToPng(data);
        const { width, height } = pngSize(picture);
        return { available: true, dataUrl: `data:image/png;base64,${picture.toString('base64')}`, width, height, format: png ? 'png' : 'ppm', takenAt };
      } catch (error) {
        return { available: false, kind: 'error', note: `QEMU's picture could not be read: ${(error as Error).message}.` };
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private takesPng(client: QmpClient): Promise<boolean> {
    let known = this.png.get(client);
    if (!known) {
      // Without a readable schema, PPM: every QEMU with screendump writes it.
      known = this.options.schemaJson(client).then(screendumpTakesPng, () => false);
      this.png.set(client, known);
    }
    return known;
  }
}
