/**
 * One e2e test file's world: a private web bundle, `npm run web` on a fresh data folder, real
 * Chromium, and the QEMUs the tests start, all torn down (and every temporary folder removed)
 * by one `close()` in afterAll/afterEach.
 *
 * Every e2e file used to repeat the same start-up and clean-up; keeping it here means a new
 * file cannot forget a folder or a process.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { assertRendererBuilt, openApp } from '../e2e/app-page';
import { launchBrowser, type TestBrowser } from './browser';
import { makeTempDir, startQemu, type QemuOptions, type TestQemu } from './qemu';
import { buildWebBundle, startWebServer, type TestWebServer } from './web-server';

/** How to start an {@link AppSession}. */
export interface AppSessionOptions {
  /** Extra `npm run web` arguments (`--port 0` and `--data-dir` are added). */
  readonly serverArgs?: readonly string[];
  readonly serverEnv?: NodeJS.ProcessEnv;
  /** Prepares the data folder before the server starts (e.g. writes a corrupt file). */
  readonly prepareDataDir?: (dataDir: string) => void;
  /** Data folder path under a fresh temporary folder (e.g. a deep one for long socket paths). */
  readonly dataSubdir?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly colorScheme?: 'light' | 'dark';
  /** Open the app and wait for the sidebar (default true). */
  readonly open?: boolean;
}

/** A running app with its browser; see {@link startAppSession}. */
export interface AppSession {
  readonly server: TestWebServer;
  readonly browser: TestBrowser;
  readonly page: Page;
  readonly dataDir: string;
  /** A fresh temporary folder, removed by {@link AppSession.close}. */
  tempDir(prefix?: string): string;
  /** Starts QEMU (see test/support/qemu.ts); it is killed and its folder removed on close. */
  startQemu(options?: QemuOptions): Promise<TestQemu>;
  /** Stops browser, server and QEMUs, then removes every folder; safe to call twice. */
  close(): Promise<void>;
}

/** Starts bundle, server and browser in parallel, then (by default) opens the app. */
export async function startAppSession(options: AppSessionOptions = {}): Promise<AppSession> {
  assertRendererBuilt();
  const folders: string[] = [];
  const qemus: TestQemu[] = [];
  const tempDir = (prefix = 'qmp-e2e-') => {
    const dir = makeTempDir(prefix);
    folders.push(dir);
    return dir;
  };
  const dataRoot = tempDir('qmp-web-');
  const dataDir = options.dataSubdir ? join(dataRoot, options.dataSubdir) : dataRoot;
  mkdirSync(dataDir, { recursive: true });
  options.prepareDataDir?.(dataDir);

  let server: TestWebServer | undefined;
  let browser: TestBrowser | undefined;
  const close = async () => {
    await Promise.allSettled([browser?.close(), server?.stop()]);
    await Promise.allSettled(qemus.map((qemu) => qemu.kill()));
    for (const qemu of qemus) rmSync(qemu.dir, { recursive: true, force: true });
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  };
  try {
    const [bundle, launched] = await Promise.all([
      buildWebBundle(),
      launchBrowser({ ...options.viewport, ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}) }),
    ]);
    browser = launched;
    folders.push(dirname(bundle));
    server = await startWebServer(options.serverArgs ?? [], { dataDir, bundle, ...(options.serverEnv ? { env: options.serverEnv } : {}) });
    if (options.open !== false) await openApp(browser.page, server.url);
  } catch (error) {
    await close();
    throw error;
  }
  const started = { server, browser };
  return {
    ...started,
    page: started.browser.page,
    dataDir,
    tempDir,
    startQemu: async (qemuOptions = {}) => {
      const qemu = await startQemu(qemuOptions.dir ? qemuOptions : { ...qemuOptions, dir: tempDir('qmp-test-') });
      qemus.push(qemu);
      return qemu;
    },
    close,
  };
}
