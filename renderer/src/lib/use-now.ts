/**
 * The current time for live countdowns, from one shared one-second clock.
 *
 * Read through `useSyncExternalStore`, so render stays pure (no `Date.now()` during render, no
 * state set inside an effect) and every countdown on screen ticks on the same second.
 */
import { useSyncExternalStore } from 'react';

let current = Date.now();
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  current = Date.now();
  for (const notify of subscribers) notify();
}

function subscribeTicking(notify: () => void): () => void {
  subscribers.add(notify);
  if (timer === undefined) {
    // A clock that slept while nobody watched starts from the real time, not its last tick.
    current = Date.now();
    timer = setInterval(tick, 1000);
  }
  return () => {
    subscribers.delete(notify);
    if (subscribers.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const subscribeIdle = (): (() => void) => () => undefined;
const snapshot = (): number => current;

/** Epoch ms, refreshed once a second while `ticking` is true (no timer otherwise). */
export function useNow(ticking: boolean): number {
  return useSyncExternalStore(ticking ? subscribeTicking : subscribeIdle, snapshot);
}
