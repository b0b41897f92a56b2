/**
 * Reads a VM's screen every `intervalMs` while the page is visible and the VM is connected.
 *
 * One read in flight at a time (the next waits for the answer, then the interval), so a slow
 * QEMU is never asked twice at once; a hidden page (another tab, minimised) stops reading and
 * reads again at once when it shows. `intervalMs` 0 reads once and then only on `refresh`.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Screenshot } from '../../../../electron/common/vm-details-shapes';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';

/** What the thumbnail shows: the newest answer, and whether a read is running. */
export interface ScreenPoll {
  readonly shot: Screenshot | undefined;
  readonly loading: boolean;
  /** Reads again now (the button, or after a change of interval). */
  readonly refresh: () => void;
}

/** Polls `vmId`'s screen; `active` false (not connected) stops it. */
export function useScreenPoll(vmId: string, active: boolean, intervalMs: number): ScreenPoll {
  const store = useStore();
  const [shot, setShot] = useState<Screenshot | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [kick, setKick] = useState(0);
  const refresh = useCallback(() => setKick((n) => n + 1), []);

  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const read = async () => {
      clearTimeout(timer);
      if (running || controller.signal.aborted || document.visibilityState === 'hidden') return;
      running = true;
      setLoading(true);
      try {
        const next = await store.readScreen(vmId, { signal: controller.signal });
        if (!controller.signal.aborted) setShot(next);
      } catch (error) {
        if (!controller.signal.aborted) setShot({ available: false, kind: 'error', note: `No picture: ${messageOf(error)}.` });
      } finally {
        running = false;
        if (!controller.signal.aborted) {
          setLoading(false);
          if (intervalMs > 0) timer = setTimeout(() => void read(), intervalMs);
        }
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void read();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void read();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [store, vmId, active, intervalMs, kick]);

  return { shot, loading, refresh };
}
