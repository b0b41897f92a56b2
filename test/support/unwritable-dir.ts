/**
 * Makes a folder refuse new files in a way that holds for root too.
 *
 * The suites run as root here, and root ignores permission bits, so `chmod 555` alone proves
 * nothing. As root the folder gets the ext4/tmpfs *immutable* attribute (`chattr +i`), which
 * the kernel enforces for every user (creating, renaming or removing an entry fails with EPERM);
 * as anyone else `chmod 555` gives the EACCES a user would meet.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

const isRoot = process.getuid?.() === 0;

/** The errno words a save into such a folder fails with ("not permitted" as root). */
export const UNWRITABLE_REASON = isRoot ? /not permitted/ : /permission denied/;

/** Stops new entries in `dir` (undo with {@link makeWritable} before removing it). */
export function makeUnwritable(dir: string): void {
  if (isRoot) execFileSync('chattr', ['+i', dir]);
  else chmodSync(dir, 0o555);
}

/** Undoes {@link makeUnwritable}; safe on a folder that was never made unwritable. */
export function makeWritable(dir: string): void {
  if (isRoot) execFileSync('chattr', ['-i', dir]);
  else chmodSync(dir, 0o755);
}
