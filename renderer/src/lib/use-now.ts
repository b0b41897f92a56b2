/**
 * The current time, re-read every second while `ticking` — for live countdowns.
 */
import { useEffect, useState } from 'react';

/** Epoch ms, refreshed once a second while `ticking` is true (no timer otherwise). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
}
