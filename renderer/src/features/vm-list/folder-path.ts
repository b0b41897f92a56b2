/**
 * Checks a typed folder path before it joins the watched list.
 *
 * The core repeats the "absolute" check (its contract rejects anything else), but catching it
 * here explains the problem next to the field instead of after a round trip.
 */

/** How many folders the core accepts (see `setDiscoveryFolders` in the contract). */
export const MAX_WATCHED_FOLDERS = 32;

/** `typed` trimmed, with trailing slashes dropped so "/run/x/" and "/run/x" count as one. */
export function normaliseFolderPath(typed: string): string {
  const trimmed = typed.trim();
  const stripped = trimmed.replace(/\/+$/, '');
  return stripped === '' && trimmed.startsWith('/') ? '/' : stripped;
}

/** Why `path` (already normalised) cannot be added to `current`, or null when it can. */
export function folderPathProblem(path: string, current: readonly string[]): string | null {
  if (path === '') return 'Enter a folder path, e.g. /run/user/1000/vms.';
  if (!path.startsWith('/')) return 'Use an absolute path: it must start with /.';
  if (current.includes(path)) return `${path} is already watched.`;
  if (current.length >= MAX_WATCHED_FOLDERS) return `At most ${MAX_WATCHED_FOLDERS} folders can be watched.`;
  return null;
}
