/**
 * A value that changes every frame, passed on at most every so often.
 *
 * During a flood the timeline's counts change in every frame; the parts that only show them
 * (the rate strip, the event-name counts) need not redraw that often, and each redraw takes
 * the page's time from the list people are reading.
 */
import { useEffect, useRef, useState } from 'react';

/** `value`, passed on at once when it last changed long enough ago, else at most every `ms` (the latest wins). */
export function useAtMostEvery<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (Object.is(value, shown)) return undefined;
    const show = (): void => {
      shownAt.current = performance.now();
      setShown(value);
    };
    const wait = shownAt.current + ms - performance.now();
    if (wait <= 0) {
      show();
      return undefined;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
