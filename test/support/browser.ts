/**
 * Real headless Chromium for e2e tests, driven by playwright-core, with a throwaway profile.
 *
 * Each launch gets its own user-data folder (deleted on close) and flags that keep Chromium
 * from reaching the network or doing background work, so runs are isolated and repeatable on a
 * 2-core machine. Page errors and console errors are collected so a test can assert none happened.
 */
import { rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir } from './qemu';

/** Where the system Chromium lives on the project's machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** A running browser with one page. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors seen so far. */
  readonly errors: string[];
  /** Closes Chromium and deletes its profile; safe to call twice. */
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile and opens one page of `width`×`height`. */
export async function launchBrowser(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<TestBrowser> {
  const profile = makeTempDir('qmp-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: QUIET_FLAGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  let closed = false;
  return {
    context,
    page,
    errors,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
