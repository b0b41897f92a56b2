/**
 * The timeline's state that outlives the view: its derived data (kept in step with every push,
 * see timeline-model.ts) and the filter the user chose, so switching to the status panel and
 * back keeps both.
 *
 * The app mounts {@link TimelineProvider} once around the main area.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from '../../state/store-context';
import { idleWork } from './idle-work';
import { NO_FILTER, type TimelineFilter } from './timeline-filter';
import { TimelineModel } from './timeline-model';

/** What the view reads and changes. */
export interface TimelineControls {
  readonly model: TimelineModel;
  readonly filter: TimelineFilter;
  /** Replaces the filter (from the previous one, like `setState`). */
  readonly setFilter: (next: (current: TimelineFilter) => TimelineFilter) => void;
}

const TimelineContext = createContext<TimelineControls | null>(null);

/** Keeps the timeline's model in step with the store and holds its filter. */
export function TimelineProvider({ children }: { readonly children: ReactNode }) {
  const store = useStore();
  const [model] = useState(() => new TimelineModel());
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  useEffect(() => {
    // Search text is built as events arrive, in idle moments, so a first search finds it ready.
    const preparing = idleWork((more) => model.prepareSearch(more));
    const sync = () => {
      model.sync(store.getState().events);
      preparing.poke();
    };
    sync();
    const unsubscribe = store.subscribe(sync);
    return () => {
      unsubscribe();
      preparing.stop();
    };
  }, [store, model]);
  return <TimelineContext.Provider value={{ model, filter, setFilter }}>{children}</TimelineContext.Provider>;
}

/** The timeline's model and filter; only inside {@link TimelineProvider}. */
export function useTimeline(): TimelineControls {
  const controls = useContext(TimelineContext);
  if (!controls) throw new Error('useTimeline used outside <TimelineProvider>');
  return controls;
}
