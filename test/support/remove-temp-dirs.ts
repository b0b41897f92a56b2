/**
 * Vitest setup file: after each test file's own hooks, remove the temporary folders it made.
 *
 * Root-level hooks run after the file's suites, so QEMU, Chromium and servers a file started
 * are already stopped by then.
 */
import { afterAll } from 'vitest';
import { removeAllTempDirs } from './temp-dirs';

afterAll(() => removeAllTempDirs());
