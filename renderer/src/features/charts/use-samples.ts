/**
 * Keeps a VM's chart samples current while the charts are on screen.
 *
 * While `shown` and the page is visible it renews the core's sampling lease and pulls the
 * samples after the newest it holds, once per interval, one request at a time. Hidden (another
 * tab, minimised, the section closed) it stops asking: the core's lease then runs out and
 * sampling stops. Shown again, it renews at once and pulls everything after its newest sample,
 * so a short hide leaves no hole and a long one shows the core's gap, never a line across it.
 */
import { useEffect, useRef, useState } from 'react';
import type { Sample, SampleSources } from '../../../../electron/common/samples';
import { SAMPLE_HISTORY_MS } from '../../../../electron/common/samples';
import { messageOf } from '../../state/monitor-store';
import { useStore } from '../../state/store-context';

/** What the charts draw. */
export interface SampleView {
  /** Oldest first, the last ten minutes. */
  readonly samples: readonly Sample[];
  readonly sources: SampleSources | undefined;
  readonly skipped: number;
  /** Why the last pull failed, if it did. */
  readonly error: string | undefined;
}

const EMPTY: SampleView = { samples: [], sources: undefined, skipped: 0, error: undefined };

/** Follows `vmId`'s samples every `intervalMs` while `shown`. */
export function useSamples(vmId: string, shown: boolean, intervalMs: number): SampleView {
  const store = useStore();
  const [view, setView] = useState<SampleView>(EMPTY);
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  /** The samples held across pauses, so a resume asks only for what is new. */
  const held = useRef<{ vmId: string; samples: Sample[] }>({ vmId, samples: [] });

  useEffect(() => {
    const onVisibility = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);

  useEffect(() => {
    if (!shown || !visible) return;
    const controller = new AbortController();
    const signal = controller.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let renewAt = 0;
    if (held.current.vmId !== vmId) held.current = { vmId, samples: [] };
    const mine = held.current;
    const round = async () => {
      try {
        if (Date.now() >= renewAt) {
          const { leaseMs } = await store.watchSamples(vmId, intervalMs, { signal });
          renewAt = Date.now() + leaseMs / 3;
        }
        const afterSeq = mine.samples[mine.samples.length - 1]?.seq ?? 0;
        let page = await store.readSamples(vmId, afterSeq, { signal });
        // Fewer samples than we hold: the core restarted or the VM was replaced; start over.
        if (page.lastSeq < afterSeq) {
          mine.samples = [];
          page = await store.readSamples(vmId, 0, { signal });
        }
        if (signal.aborted) return;
        const oldest = Date.now() - SAMPLE_HISTORY_MS;
        mine.samples = [...mine.samples.filter((s) => s.at >= oldest), ...page.samples];
        const samples = mine.samples;
        setView({ samples, sources: page.sources, skipped: page.skipped, error: undefined });
      } catch (error) {
        if (!signal.aborted) setView((current) => ({ ...current, error: messageOf(error) }));
      } finally {
        if (!signal.aborted) timer = setTimeout(() => void round(), intervalMs);
      }
    };
    void round();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [store, vmId, shown, visible, intervalMs]);

  return view;
}
