/**
 * Temporary folders for tests, each one removed when its test file ends.
 *
 * Every suite makes folders for sockets, data folders and browser profiles; forgetting one
 * `rmSync` in one file used to leave ~170 folders in /tmp per run. So the folder is registered
 * where it is made, and `test/support/remove-temp-dirs.ts` (a Vitest setup file) removes what
 * the file made after its last hook, whether or not the file cleaned up itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** Makes a fresh temporary folder, removed at the end of the test file at the latest. */
export function makeTempDir(prefix = 'qmp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes one folder made by {@link makeTempDir} now (e.g. in an afterEach). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.delete(dir);
}

/** Removes every folder this test process made and has not removed yet. */
export function removeAllTempDirs(): void {
  for (const dir of [...made]) removeTempDir(dir);
}
