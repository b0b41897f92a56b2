/**
 * Switches between "loading", the load failure, and the app, from the store's phase.
 */
import { useMonitor } from '../state/store-context';
import { App } from './app';
import { LoadError } from './load-error';

/** Top-level component rendered inside the StoreProvider. */
export function Root() {
  const phase = useMonitor((s) => s.phase);
  const loadError = useMonitor((s) => s.loadError);
  if (phase === 'error') return <LoadError message={loadError ?? 'unknown error'} />;
  if (phase === 'loading') return <p role="status">Loading QMP Monitor…</p>;
  return <App />;
}
