/**
 * Finds the installed QEMU and says how to install it when it is missing.
 *
 * The lookup walks PATH asynchronously so it can run in Electron's main process without
 * blocking the UI thread.
 */
import { constants, promises as fs } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The emulator the demo VM runs. */
export const QEMU_BINARY_NAME = 'qemu-system-x86_64';

/** Absolute path of `name` on PATH, or null when none is executable. */
export async function findOnPath(name: string, pathVar = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      const info = await fs.stat(candidate);
      if (!info.isFile()) continue;
      await fs.access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here (or not executable): PATH order decides, so keep looking.
    }
  }
  return null;
}

/** How to install QEMU on this platform, as one line for the UI. */
export function qemuInstallHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Install QEMU with Homebrew: brew install qemu';
  if (platform === 'win32') return 'Install QEMU from https://www.qemu.org/download/ and add it to PATH';
  return 'Install QEMU: sudo apt-get install qemu-system-x86 (Debian/Ubuntu) or sudo dnf install qemu-system-x86 (Fedora)';
}
