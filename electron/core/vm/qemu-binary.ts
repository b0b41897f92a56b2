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

/** A command line for a process the app owns, and how it is tied to the app's life. */
export interface OwnedCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** `pdeathsig`: the kernel sends SIGTERM when the app dies; `none`: only an orderly quit stops it. */
  readonly tie: 'pdeathsig' | 'none';
}

/**
 * Wraps `file args` so the process dies with the app, even when the app is SIGKILLed or crashes.
 *
 * On Linux, util-linux's `setpriv --pdeathsig TERM` sets PR_SET_PDEATHSIG and then execs the
 * program, so the child keeps its PID (the one the app signals and reports) and the kernel
 * sends it SIGTERM (QEMU quits cleanly on it) when its parent dies. The signal fires when the
 * parent *thread* that spawned it exits: Node spawns from its main thread, whose end is the
 * process's end, so that is the same thing here. Without setpriv (other systems, minimal
 * images) the process is spawned as is and only the app's own stop on quit ends it.
 */
export async function ownedCommand(file: string, args: readonly string[], platform: NodeJS.Platform = process.platform): Promise<OwnedCommand> {
  const setpriv = platform === 'linux' ? await findOnPath('setpriv') : null;
  if (!setpriv) return { file, args, tie: 'none' };
  return { file: setpriv, args: ['--pdeathsig', 'TERM', '--', file, ...args], tie: 'pdeathsig' };
}
