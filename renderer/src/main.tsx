/**
 * Renderer entry: find the API, start the store, render.
 *
 * The first render shows the store's loading phase; `start()` then subscribes to pushes
 * before it reads the snapshots, so nothing that happens meanwhile is lost, and components
 * (reading the store through `useSyncExternalStore`) see each consistent step.
 */
import { createRoot } from 'react-dom/client';
import { loadQmpApi } from './api/qmp-api';
import { LoadError } from './app/load-error';
import { Root } from './app/root';
import './app/theme.css';
import { MonitorStore, messageOf } from './state/monitor-store';
import { StoreProvider } from './state/store-context';

const root = createRoot(document.getElementById('root')!);

loadQmpApi().then(
  (api) => {
    const store = new MonitorStore(api);
    root.render(
      <StoreProvider store={store}>
        <Root />
      </StoreProvider>,
    );
    void store.start();
    window.addEventListener('pagehide', () => store.stop());
  },
  (error: unknown) => root.render(<LoadError message={messageOf(error)} />),
);
