/**
 * Turns why a screendump could not be shown into a note for people.
 *
 * QEMU says it in its own words (QEMU 7.2: `There is no console to take a screendump from`,
 * `failed to open file '…': Permission denied`); this is the one place that reads them, so the
 * page shows a sentence instead of a broken image.
 */
import type { Screenshot } from '../../common/vm-details-shapes';
import { QmpCommandError, QmpError } from '../qmp/errors';

/** A screenshot that is a note. */
export type ScreenNote = Extract<Screenshot, { available: false }>;

/** The note for a QEMU on another host: screendump writes the file there, where we cannot read it. */
export function remoteNote(host: string): ScreenNote {
  return {
    available: false,
    kind: 'remote',
    note: `QEMU runs on another host (${host}): screendump writes the picture on that host, where this app cannot read it.`,
  };
}

/** The note for a picture QEMU said it wrote but this app cannot find (another mount namespace). */
export function unseenNote(): ScreenNote {
  return {
    available: false,
    kind: 'unseen',
    note: 'QEMU wrote the picture where this app cannot see it (QEMU runs in another container or mount namespace).',
  };
}

/** The note for a failed screendump, by what QEMU (or the connection) said. */
export function failureNote(error: unknown): ScreenNote {
  if (error instanceof QmpCommandError) {
    if (/no console/i.test(error.desc)) {
      return {
        available: false,
        kind: 'no-display',
        note: 'This VM has no display to take a picture of (QEMU: "There is no console to take a screendump from"); start it with a display device, e.g. -vga std, which works with -display none too.',
      };
    }
    if (error.errorClass === 'CommandNotFound') return { available: false, kind: 'unsupported', note: `This QEMU has no screendump command (${error.desc}).` };
    if (/failed to open file .*No such file or directory/i.test(error.desc)) {
      return {
        available: false,
        kind: 'unseen',
        note: `QEMU cannot see this app's temporary folder (${error.desc}): it runs on another host (a forwarded socket) or in another container.`,
      };
    }
    if (/permission denied|read-only|EACCES/i.test(error.desc)) {
      return {
        available: false,
        kind: 'unwritable',
        note: `QEMU cannot write into this app's private temporary folder (${error.desc}); it probably runs as another user.`,
      };
    }
    return { available: false, kind: 'error', note: `screendump failed: ${error.errorClass}: ${error.desc}` };
  }
  if (error instanceof QmpError && (error.kind === 'connection' || error.kind === 'closed')) {
    return { available: false, kind: 'not-connected', note: `No picture: ${error.message}.` };
  }
  return { available: false, kind: 'error', note: `No picture: ${error instanceof Error ? error.message : String(error)}.` };
}
