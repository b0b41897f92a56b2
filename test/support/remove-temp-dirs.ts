/**
 * Vitest setup file: after each test file's own hooks, remove the temporary folders it made.
 *
 * Root-level hooks run after the file's suites, so QEMU, Chromium and servers a file started
 * are already stopped by then. Each test file also gets its own runtime folder (shared
 * monitors' sockets and the held-target registry), so no test writes to the user's
 * `$XDG_RUNTIME_DIR` or `/tmp/qmp-monitor-UID`, and child processes inherit it.
 */
import { afterAll } from 'vitest';
import { makeTempDir, removeAllTempDirs } from './temp-dirs';

process.env['QMP_MONITOR_RUNTIME_DIR'] ??= makeTempDir('qmp-run-');

afterAll(() => removeAllTempDirs());
