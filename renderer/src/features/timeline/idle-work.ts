/**
 * Runs a long piece of work in slices in the page's idle moments, so it never takes a frame.
 *
 * `requestIdleCallback` where the page has it, with a deadline so that a page that is never
 * idle (a flood) still gets the work done a slice at a time; a short timer elsewhere (test DOMs).
 */

/** One slice: do work while `more()` is true; return true when work is left. */
export type IdleSlice = (more: () => boolean) => boolean;

/** Longest a slice waits for an idle moment before it runs anyway, ms. */
const IDLE_TIMEOUT_MS = 1_000;
/** A slice's budget when it has no idle deadline to go by (timed out, or no idle callbacks), ms. */
const FALLBACK_BUDGET_MS = 4;

/** Schedules `slice` until it says it is done; `poke()` starts it again, `stop()` ends it. */
export function idleWork(slice: IdleSlice): { poke(): void; stop(): void } {
  let pending: (() => void) | null = null;
  const run = (timeRemaining: (() => number) | null) => {
    pending = null;
    const began = performance.now();
    let slices = 0;
    const more = () => slices++ === 0 || (timeRemaining !== null ? timeRemaining() > 1 : performance.now() - began < FALLBACK_BUDGET_MS);
    if (slice(more)) poke();
  };
  const poke = () => {
    if (pending !== null) return;
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback((deadline) => run(deadline.didTimeout ? null : () => deadline.timeRemaining()), { timeout: IDLE_TIMEOUT_MS });
      pending = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(() => run(null), 50);
      pending = () => clearTimeout(id);
    }
  };
  return {
    poke,
    stop: () => {
      pending?.();
      pending = null;
    },
  };
}
