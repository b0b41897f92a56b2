/**
 * The per-user runtime folder: where shared endpoints' sockets and the held-target registry live.
 *
 * `$QMP_MONITOR_RUNTIME_DIR` itself when set (tests, or several separate set-ups for one user),
 * else `$XDG_RUNTIME_DIR/qmp-monitor/` (per user, 0700, emptied at logout: right for sockets),
 * else `$TMPDIR/qmp-monitor-UID/`. A variable of our own rather than XDG_RUNTIME_DIR, since
 * discovery also watches $XDG_RUNTIME_DIR and other programs read it. Not the app's data folder: the CLI must find the
 * registry without knowing which `--data-dir` an app or proxy runs with, and sockets do not
 * belong in a folder that is backed up or synced. The folder is made 0700 and refused if it
 * is a symlink or owned by someone else, since its sockets give full control of VMs.
 */
import { lstatSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The variable that names the runtime folder itself, before every other choice. */
export const RUNTIME_DIR_VARIABLE = 'QMP_MONITOR_RUNTIME_DIR';

/** The runtime folder for this user (not created). */
export function runtimeFolderPath(env: NodeJS.ProcessEnv = process.env): string {
  const own = env[RUNTIME_DIR_VARIABLE];
  if (own !== undefined && own !== '') return resolve(own);
  const xdg = env['XDG_RUNTIME_DIR'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'qmp-monitor');
  return join(tmpdir(), `qmp-monitor-${process.getuid?.() ?? 'user'}`);
}

/**
 * Makes (or checks) a private folder: 0700, ours, not a symlink.
 *
 * @throws Error saying what is wrong with an existing folder we must not use.
 */
export function ensurePrivateFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const stat = lstatSync(path);
  if (!stat.isDirectory()) throw new Error(`${path} is not a folder (a symlink or file is in the way); not using it for QMP sockets`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new Error(`${path} belongs to uid ${stat.uid}, not to us; not using it for QMP sockets`);
  if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o700);
  return path;
}

/** The runtime folder, made private if needed. */
export function ensureRuntimeFolder(env: NodeJS.ProcessEnv = process.env): string {
  return ensurePrivateFolder(runtimeFolderPath(env));
}
