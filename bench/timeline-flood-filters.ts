/**
 * Filter timings on the events a flood left in the page: a free-text filter typed into the
 * search box and an event name ticked in the names menu, each timed from its input event to
 * the end of the first frame that shows the result, then cleared with "Clear filters" (untimed) until
 * the whole list is back. The first timed run of each is reported apart, as a user's first
 * search: it must be as quick (the page builds its search text ahead, in idle moments), and
 * the later ones find the page warm.
 */
import type { Page } from 'playwright-core';
import { readCount, timeUntilShown, waitForShown } from './timeline-page';

/** What to filter for and what the page must show. */
export interface FilterPlan {
  readonly text: string;
  /** An event name only the events holding `text` have, so both filters show the same events. */
  readonly name: string;
  /** Events shown with no filter. */
  readonly total: number;
  /** Timed runs of each filter (after one warm-up). */
  readonly runs: number;
}

/** Timed samples (ms) of each filter, warm-ups excluded. */
export interface FilterTimings {
  readonly text: number[];
  readonly name: number[];
  readonly firstText: number;
  readonly firstName: number;
  /** Events each filter showed. */
  readonly matched: number;
}

const CLEAR_TIMEOUT_MS = 60_000;

async function clearFilters(page: Page, total: number): Promise<void> {
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await waitForShown(page, total, CLEAR_TIMEOUT_MS, true);
}

/**
 * Runs `plan.runs + 1` applications of each filter; see the module comment. The name filter
 * goes first, and what it shows is what both must show (the page may hold fewer than were sent).
 *
 * The two filters take turns, each cleared before the next, so no application finds its
 * result still kept from the one before (the page keeps the results of its last two filters,
 * see timeline-model.ts): every timed run computes its filter over the million events.
 */
export async function runFilterTimings(page: Page, plan: FilterPlan): Promise<FilterTimings> {
  const search = page.getByRole('searchbox', { name: 'Filter events' });
  const menu = page.getByText('Event names', { exact: true });
  const box = page.getByRole('group', { name: 'Event names' }).getByRole('checkbox', { name: new RegExp(`^${plan.name}\\b`) });
  const name: number[] = [];
  const text: number[] = [];
  let matched: number | null = null;
  for (let run = 0; run <= plan.runs; run++) {
    await menu.click();
    // The first run cannot know what the filter shows: it waits for the count to change.
    name.push(await timeUntilShown(page, () => box.check(), matched ?? { not: plan.total }));
    if (matched === null) {
      await waitForFilterChip(page, `event: ${plan.name}`);
      matched = (await readCount(page)).shown;
    }
    await clearFilters(page, plan.total);
    await menu.click();
    text.push(await timeUntilShown(page, () => search.fill(plan.text), matched));
    await clearFilters(page, plan.total);
  }
  return { text: text.slice(1), name: name.slice(1), firstText: text[0]!, firstName: name[0]!, matched: matched ?? 0 };
}

/** Waits for the chip of an active filter (its list is rendered with the filtered result). */
async function waitForFilterChip(page: Page, label: string): Promise<void> {
  await page.getByRole('list', { name: 'Active filters' }).getByText(label, { exact: true }).waitFor({ timeout: CLEAR_TIMEOUT_MS });
}
