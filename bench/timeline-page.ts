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
  MessageChannel: new () => { port1: { onmessage: ((message: { data: number }) => void) | null; close(): void }; port2: { postMessage(data: number): void } };
  __benchFrames?: { intervals: number[]; times: number[]; running: boolean };
  __benchArmed?: { startedAt: number | null; mark: () => void; result: Promise<number> };
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

/**
 * What a frame sampler saw, per animation frame (ms): `intervals` between frame starts (the
 * refresh interval at best: 16.7 ms at 60 Hz however little a frame costs), and `times`, each
 * frame's time from its start to the end of the main thread's work for it.
 *
 * A frame's start is the timestamp its `requestAnimationFrame` callbacks receive (the frame's
 * begin time, so a frame held back by a long task counts the wait); its end is when a message
 * posted from that callback through a `MessageChannel` is handled, which Chromium runs only
 * after the task that runs the frame (its animation callbacks, style, layout, paint and commit)
 * has finished. Tasks already queued run first, so a frame time is never under the frame's
 * real cost (at worst it includes the next task's).
 */
export interface FrameSamples {
  readonly intervals: number[];
  readonly times: number[];
}

/**
 * The in-page sampler behind {@link startFrameSampler} and {@link sampleFrames}: from the next
 * frame on, records every frame's interval and time. With `keep`, it stays in the page until
 * stopped and this resolves at once; otherwise this resolves with the first `frames` frame
 * times. Runs in Chromium: self-contained.
 */
function pageSampler({ frames, keep }: { frames: number; keep: boolean }): Promise<FrameSamples | null> {
  const globals = globalThis as unknown as PageGlobals;
  const sampler = { intervals: [] as number[], times: [] as number[], running: true };
  if (keep) globals.__benchFrames = sampler;
  return new Promise((resolve) => {
    if (keep) resolve(null);
    const channel = new globals.MessageChannel();
    channel.port1.onmessage = (message: { data: number }): void => {
      sampler.times.push(globals.performance.now() - message.data);
      if (!keep && sampler.times.length >= frames && sampler.running) {
        sampler.running = false;
        channel.port1.close();
        resolve({ intervals: sampler.intervals, times: sampler.times });
      }
    };
    let last: number | null = null;
    const frame = (time: number): void => {
      if (!sampler.running) return channel.port1.close();
      if (last !== null) sampler.intervals.push(time - last);
      last = time;
      channel.port2.postMessage(time);
      globals.requestAnimationFrame(frame);
    };
    globals.requestAnimationFrame(frame);
  });
}

/** Starts sampling every frame's interval and time in the page (see {@link FrameSamples}). */
export async function startFrameSampler(page: Page): Promise<void> {
  await page.evaluate(pageSampler, { frames: Number.POSITIVE_INFINITY, keep: true });
}

/** Stops the sampler and returns what it saw. */
export async function stopFrameSamples(page: Page): Promise<FrameSamples> {
  return page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const sampler = globals.__benchFrames;
    if (!sampler) return { intervals: [], times: [] };
    sampler.running = false;
    delete globals.__benchFrames;
    // A frame's message may still be queued: its time is left out rather than waited for.
    return { intervals: sampler.intervals, times: sampler.times };
  });
}

/** Stops the sampler and returns the frame intervals only (ms). */
export async function stopFrameSampler(page: Page): Promise<number[]> {
  return (await stopFrameSamples(page)).intervals;
}

/**
 * Times one filter action: from the first input, change or click event `act` causes to the
 * end of the first frame whose count line shows `expected` events (or, given `{ not }`, any
 * other count than that: the result when it is not known yet), the end taken as in
 * {@link FrameSamples}; the list renders from the same result in the same commit. Returns ms.
 *
 * The watcher runs in the page from before `act` on, checking on every animation frame, so
 * what Playwright does after its input (a click's checks, the round trips) is not counted.
 */
export async function timeUntilShown(page: Page, act: () => Promise<void>, expected: number | { readonly not: number }): Promise<number> {
  await page.evaluate((want: number | { readonly not: number }) => {
    const globals = globalThis as unknown as PageGlobals;
    const armed: NonNullable<PageGlobals['__benchArmed']> = {
      startedAt: null,
      mark: (): void => {
        if (armed.startedAt === null) armed.startedAt = globals.performance.now();
      },
      result: null as unknown as Promise<number>,
    };
    globals.__benchArmed = armed;
    const types = ['input', 'change', 'click'];
    for (const type of types) globals.document.addEventListener(type, armed.mark, true);
    armed.result = new Promise<number>((resolve, reject) => {
      const deadline = globals.performance.now() + 60_000;
      const channel = new globals.MessageChannel();
      const finish = (): void => {
        for (const type of types) globals.document.removeEventListener(type, armed.mark, true);
      };
      channel.port1.onmessage = (): void => {
        channel.port1.close();
        resolve(globals.performance.now() - armed.startedAt!);
      };
      const frame = (): void => {
        const now = globals.performance.now();
        if (armed.startedAt !== null) {
          for (const line of Array.from(globals.document.querySelectorAll('main p'))) {
            const match = /^([\d,]+) of [\d,]+ events?/.exec(line.textContent ?? '');
            const shown = match ? Number(match[1]!.replace(/,/g, '')) : Number.NaN;
            if (match && (typeof want === 'number' ? shown === want : shown !== want.not)) {
              finish();
              // Handled once this frame's rendering work is done (see FrameSamples).
              channel.port2.postMessage(0);
              return;
            }
          }
        }
        if (now > deadline) {
          finish();
          channel.port1.close();
          reject(new Error(`the list never showed ${JSON.stringify(want)} events`));
        } else globals.requestAnimationFrame(frame);
      };
      globals.requestAnimationFrame(frame);
    });
  }, expected);
  await act();
  return page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const result = globals.__benchArmed?.result ?? Promise.reject(new Error('no armed watcher in the page'));
    delete globals.__benchArmed;
    return result;
  });
}

/** The next `count` frames of the page as it is now (when idle: one refresh apart, and short). */
export async function sampleFrames(page: Page, count: number): Promise<FrameSamples> {
  return (await page.evaluate(pageSampler, { frames: count, keep: false }))!;
}
