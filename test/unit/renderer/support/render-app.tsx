/**
 * Renders a piece of the UI (or all of it) over a started store and a fake API.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MonitorStore } from '../../../../renderer/src/state/monitor-store';
import { StoreProvider } from '../../../../renderer/src/state/store-context';
import { createFakeApi, type FakeApi } from './fake-api';
import type { VmSnapshot } from '../../../../electron/common/models';

/** What a rendered test gets back. */
export interface Rendered extends RenderResult {
  readonly api: FakeApi;
  readonly store: MonitorStore;
}

/**
 * Shows events as soon as they are taken, instead of on the next frame (monitor-store.ts), so
 * a test can look right after a push; the frame pacing has its own test.
 */
export const showEventsNow = (show: () => void): void => show();

/** Starts a store over `api` (or a fake holding `vms`) and renders `ui` inside it. */
export async function renderWithStore(ui: ReactElement, vms: readonly VmSnapshot[] = [], api = createFakeApi(vms)): Promise<Rendered> {
  const store = new MonitorStore(api, undefined, showEventsNow);
  await store.start();
  const result = render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return { ...result, api, store };
}
