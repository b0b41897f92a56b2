/**
 * What the timeline benchmarks read and do in the page, the way a user does: by role and name.
 *
 * Counts come from the page's own "N of M events" line (no hooks in the app); times are taken
 * in the page, from the input event that starts an action to the animation frame that first
 * shows its result. Functions passed to `page.evaluate` run in Chromium, not here, so they are
 * self-contained and type the few DOM members they use by hand (this file is type-checked for
 * Node). The app's CSP forbids eval, which is why no predicate is passed as a string.
 */
import type { Page } from 'playwright-core';

/** What the count line says: shown of total, and how many older events were dropped. */
export interface TimelineCount {
  readonly shown: number;
  readonly total: number;
  readonly dropped: number;
}

/** Generous: Chromium, the server and the peers share two busy cores. */
const UI_TIMEOUT = 60_000;

/** The slice of the DOM the in-page functions use. */
type PageGlobals = {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>; addEventListener(type: string, listener: () => void, capture: boolean): void; removeEventListener(type: string, listener: () => void, capture: boolean): void };
  requestAnimationFrame(callback: (time: number) => void): number;
  performance: { now(): number };
  __benchFrames?: { deltas: number[]; running: boolean };
  __benchArmed?: { startedAt: number | null; mark: () => void };
};

/** Opens the app, waits for `vmNames` in the sidebar, and shows the Timeline without app markers. */
export async function openTimeline(page: Page, url: string, vmNames: readonly string[]): Promise<void> {
  await page.goto(url);
  const sidebar = page.getByRole('navigation', { name: 'Virtual machines' });
  await sidebar.waitFor({ timeout: UI_TIMEOUT });
  for (const name of vmNames) await sidebar.getByRole('option', { name, exact: true }).waitFor({ timeout: UI_TIMEOUT });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('switch', { name: 'Show app markers' }).uncheck();
}

/** Reads the count line. */
export async function readCount(page: Page): Promise<TimelineCount> {
  const text = await page.getByText(/^[\d,]+ of [\d,]+ events?/).first().textContent({ timeout: UI_TIMEOUT });
  const match = /^([\d,]+) of ([\d,]+) events?(?: · ([\d,]+) older events dropped)?/.exec(text ?? '');
  if (!match) throw new Error(`no count line in ${JSON.stringify(text)}`);
  const number = (digits: string | undefined): number => Number((digits ?? '0').replace(/,/g, ''));
  return { shown: number(match[1]), total: number(match[2]), dropped: number(match[3]) };
}

/**
 * Waits, checking on every animation frame, until the count line shows at least `shown` events
 * (exactly, when `exact`); rejects after `timeoutMs`.
 */
export async function waitForShown(page: Page, shown: number, timeoutMs: number, exact = false): Promise<void> {
  await page.waitForFunction(
    ({ want, equal }: { want: number; equal: boolean }) => {
      const { document } = globalThis as unknown as PageGlobals;
      for (const line of Array.from(document.querySelectorAll('main p'))) {
        const match = /^([\d,]+) of [\d,]+ events?/.exec(line.textContent ?? '');
        if (match) {
          const count = Number(match[1]!.replace(/,/g, ''));
          return equal ? count === want : count >= want;
        }
      }
      return false;
    },
    { want: shown, equal: exact },
    { timeout: timeoutMs, polling: 'raf' },
  );
}

/** Starts recording the interval between animation frames (ms) in the page. */
export async function startFrameSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const sampler = { deltas: [] as number[], running: true };
    globals.__benchFrames = sampler;
    let last: number | null = null;
    const frame = (time: number): void => {
      if (!sampler.running) return;
      if (last !== null) sampler.deltas.push(time - last);
      last = time;
      globals.requestAnimationFrame(frame);
    };
    globals.requestAnimationFrame(frame);
  });
}

/** Stops the sampler and returns every frame interval it saw (ms). */
export async function stopFrameSampler(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const sampler = globals.__benchFrames;
    if (!sampler) return [];
    sampler.running = false;
    delete globals.__benchFrames;
    return sampler.deltas;
  });
}

/**
 * Times one filter action: from the first input, change or click event `act` causes to the
 * first animation frame whose count line shows `expected` events (the list renders from the
 * same result in the same commit). Returns ms.
 */
export async function timeUntilShown(page: Page, act: () => Promise<void>, expected: number): Promise<number> {
  await page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const armed = {
      startedAt: null as number | null,
      mark: (): void => {
        if (armed.startedAt === null) armed.startedAt = globals.performance.now();
      },
    };
    globals.__benchArmed = armed;
    for (const type of ['input', 'change', 'click']) globals.document.addEventListener(type, armed.mark, true);
  });
  await act();
  return page.evaluate(
    (want: number) =>
      new Promise<number>((resolve, reject) => {
        const globals = globalThis as unknown as PageGlobals;
        const armed = globals.__benchArmed;
        const deadline = globals.performance.now() + 60_000;
        const finish = (): void => {
          delete globals.__benchArmed;
          if (armed) for (const type of ['input', 'change', 'click']) globals.document.removeEventListener(type, armed.mark, true);
        };
        const frame = (): void => {
          const now = globals.performance.now();
          for (const line of Array.from(globals.document.querySelectorAll('main p'))) {
            const match = /^([\d,]+) of [\d,]+ events?/.exec(line.textContent ?? '');
            if (match && Number(match[1]!.replace(/,/g, '')) === want && armed?.startedAt != null) {
              finish();
              resolve(now - armed.startedAt);
              return;
            }
          }
          if (now > deadline) {
            finish();
            reject(new Error(`the list never showed ${want} events`));
          } else globals.requestAnimationFrame(frame);
        };
        globals.requestAnimationFrame(frame);
      }),
    expected,
  );
}

/** The interval of `count` frames of the page as it is now (ms each): the refresh interval when idle. */
export async function sampleFrames(page: Page, count: number): Promise<number[]> {
  return page.evaluate(
    (wanted: number) =>
      new Promise<number[]>((resolve) => {
        const globals = globalThis as unknown as PageGlobals;
        const deltas: number[] = [];
        let last: number | null = null;
        const frame = (time: number): void => {
          if (last !== null) deltas.push(time - last);
          last = time;
          if (deltas.length < wanted) globals.requestAnimationFrame(frame);
          else resolve(deltas);
        };
        globals.requestAnimationFrame(frame);
      }),
    count,
  );
}
