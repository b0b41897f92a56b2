/**
 * Hands the one {@link MonitorStore} to components and lets them read slices of its state.
 *
 * Components never touch the API object directly for data; they read the store and call its
 * methods, so tests can drive the whole UI with a fake API behind a real store.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { MonitorState } from './monitor-state';
import type { MonitorStore } from './monitor-store';

const StoreContext = createContext<MonitorStore | null>(null);

/** Makes `store` available to everything below. */
export function StoreProvider({ store, children }: { readonly store: MonitorStore; readonly children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store itself, for calling its methods and the API. */
export function useStore(): MonitorStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore used outside <StoreProvider>');
  return store;
}

/**
 * Re-renders when the selected slice changes.
 *
 * Selectors must return existing objects (or primitives) so identity comparison works; derive
 * new arrays with `useMemo` in the component instead.
 */
export function useMonitor<T>(select: (state: MonitorState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
