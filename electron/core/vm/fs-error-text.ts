/**
 * Words a file-system failure for people instead of showing Node's raw errno line.
 *
 * `EACCES: permission denied, open '…/connections.json.1234'` names a temp file the user never
 * made; what they can act on is *which folder* and *why*, so every save and start-up check goes
 * through {@link fsErrorReason}. One table, so the same errno reads the same everywhere.
 */

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted (the folder is read-only or locked)',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a file is in the way where a folder should be',
  EEXIST: 'a file is in the way where a folder should be',
  EISDIR: 'a folder is in the way where a file should be',
  ENOTEMPTY: 'a folder is in the way where a file should be',
  ENOENT: 'the folder does not exist',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'an input/output error from the disk',
  EBUSY: 'the file is busy',
};

/** The errno code of a Node file-system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A short reason such as "permission denied"; unknown codes fall back to the code itself. */
export function fsErrorReason(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined) return REASONS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

/** True for the errors that mean "this folder cannot be written", not a one-off failure. */
export function isUnwritableError(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/**
 * The error a failed save rejects with: "could not save WHAT in DIR: REASON".
 *
 * The original error stays as `cause` for logs; the message is what the UI shows.
 */
export function saveError(what: string, dir: string, error: unknown): Error {
  return new Error(`could not save ${what} in ${dir}: ${fsErrorReason(error)}`, { cause: error });
}
