// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../../renderer/src/app/root';
import { createFakeApi, makeVm, type FakeApi } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

/** A fake that can also report the bridge closing, like the web bridge client. */
function closableApi(): FakeApi & { close(reason: string): void } {
  const api = createFakeApi([makeVm('vm1')]);
  const listeners = new Set<(reason: string) => void>();
  return Object.assign(api, {
    onClosed: (listener: (reason: string) => void) => (listeners.add(listener), () => listeners.delete(listener)),
    close: (reason: string) => listeners.forEach((listener) => listener(reason)),
  });
}

describe('App shell', () => {
  it('has banner, navigation, main and a polite live region', async () => {
    await renderWithStore(<Root />, [makeVm('vm1')]);
    expect(within(screen.getByRole('banner')).getByRole('heading', { level: 1 }).textContent).toBe('QMP Monitor');
    expect(screen.getByRole('navigation', { name: 'Virtual machines' })).toBeTruthy();
    expect(screen.getByRole('main', { name: 'vm1' })).toBeTruthy();
    expect(document.querySelector('[aria-live="polite"]')).not.toBeNull();
  });

  it('announces connection changes politely', async () => {
    const { api } = await renderWithStore(<Root />, [makeVm('vm1')]);
    act(() => api.emit('vmChanged', makeVm('vm1', { connection: { phase: 'reconnecting', reason: 'connection closed by QEMU (EOF)', attempt: 1, since: 2 } })));
    expect(document.querySelector('[aria-live="polite"]')?.textContent).toBe('vm1: reconnecting (connection closed by QEMU (EOF))');
  });

  it('makes the page behind a dialog inert while it is open', async () => {
    await renderWithStore(<Root />, [makeVm('vm1')]);
    const shell = document.querySelector('[data-app-shell]')!;
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    expect(shell.hasAttribute('inert')).toBe(true);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(shell.hasAttribute('inert')).toBe(false);
  });

  it('says plainly when the link to the core is lost', async () => {
    const api = closableApi();
    await renderWithStore(<Root />, [], api);
    act(() => api.close('socket closed (1006)'));
    expect(screen.getByRole('alert').textContent).toContain('Lost the connection to QMP Monitor (socket closed (1006))');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });

  it('shows start-up notices from the core', async () => {
    const api = createFakeApi();
    const info = await api.getAppInfo({});
    api.mocks.getAppInfo.mockResolvedValue({ ...info, notices: ['settings file was corrupt; kept as settings.json.bad and started clean'] });
    await renderWithStore(<Root />, [], api);
    expect(within(screen.getByRole('list', { name: 'Notices' })).getByRole('listitem').textContent).toMatch(/settings file was corrupt/);
  });
});
