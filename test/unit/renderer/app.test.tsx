// @vitest-environment happy-dom
import { act, waitFor, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkEvent } from '../../../electron/common/rpc-link';
import { Root } from '../../../renderer/src/app/root';
import { createFakeApi, makeVm, type FakeApi } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

/** A fake that can also report the bridge closing, like the web bridge client. */
function closableApi(): FakeApi & { close(reason: string): void; link(event: LinkEvent): void } {
  const api = createFakeApi([makeVm('vm1')]);
  const listeners = new Set<(event: LinkEvent) => void>();
  return Object.assign(api, {
    onLink: (listener: (event: LinkEvent) => void) => (listeners.add(listener), () => listeners.delete(listener)),
    close: (reason: string) => listeners.forEach((listener) => listener({ kind: 'lost', reason, attempt: 0, nextRetryAt: null })),
    link: (event: LinkEvent) => listeners.forEach((listener) => listener(event)),
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

  it('counts down to the next reconnect, says when it catches up, and goes away once live', async () => {
    const api = closableApi();
    await renderWithStore(<Root />, [], api);
    act(() => api.link({ kind: 'lost', reason: 'client too slow', attempt: 2, nextRetryAt: Date.now() + 4_500 }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/client too slow.*Reconnecting in 5 s \(attempt 2\)/);
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
    act(() => api.link({ kind: 'restored', attempt: 2 }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows start-up notices from the core, each until it is dismissed', async () => {
    const api = createFakeApi();
    const info = await api.getAppInfo({});
    api.mocks.getAppInfo.mockResolvedValue({ ...info, notices: ['settings file was corrupt; kept as settings.json.bad and started clean', 'second notice'] });
    await renderWithStore(<Root />, [], api);
    const notices = screen.getByRole('list', { name: 'Notices' });
    const first = within(notices).getAllByRole('listitem')[0]!;
    expect(first.textContent).toMatch(/settings file was corrupt/);
    const dismiss = within(first).getByRole('button', { name: 'Dismiss' });
    expect(document.getElementById(dismiss.getAttribute('aria-describedby')!)?.textContent).toMatch(/settings file was corrupt/);
    dismiss.focus();
    fireEvent.click(dismiss);
    expect(within(screen.getByRole('list', { name: 'Notices' })).getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual(['second notice']);
    // Focus moves in the same task as the removal: nothing can observe it resting on <body>.
    const next = screen.getByRole('button', { name: 'Dismiss' });
    expect(document.activeElement).toBe(next);
    fireEvent.click(next);
    expect(screen.queryByRole('list', { name: 'Notices' })).toBeNull();
    expect(document.activeElement?.tagName).toBe('BUTTON');
    expect(document.activeElement?.closest('header')).not.toBeNull();
  });
});

describe('Sidebar layout', () => {
  beforeEach(() => localStorage.clear());

  it('collapses and expands the sidebar with a named button, and remembers it', async () => {
    await renderWithStore(<Root />, [makeVm('vm1')]);
    const hide = screen.getByRole('button', { name: 'Hide sidebar' });
    expect(hide.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(hide.getAttribute('aria-controls')!)?.getAttribute('aria-label')).toBe('Virtual machines');
    fireEvent.click(hide);
    expect(screen.queryByRole('navigation', { name: 'Virtual machines' })).toBeNull();
    expect(screen.queryByRole('separator')).toBeNull();
    expect(screen.getByRole('button', { name: 'Show sidebar' }).getAttribute('aria-expanded')).toBe('false');
    cleanup();

    await renderWithStore(<Root />, [makeVm('vm1')]);
    fireEvent.click(screen.getByRole('button', { name: 'Show sidebar' }));
    expect(screen.getByRole('navigation', { name: 'Virtual machines' })).toBeTruthy();
    cleanup();
    await renderWithStore(<Root />, [makeVm('vm1')]);
    expect(screen.getByRole('button', { name: 'Hide sidebar' })).toBeTruthy();
  });

  it('resizes the sidebar with the arrow keys within its limits, and remembers the width', async () => {
    await renderWithStore(<Root />, [makeVm('vm1')]);
    const splitter = screen.getByRole('separator', { name: 'Resize sidebar' });
    const value = () => Number(screen.getByRole('separator').getAttribute('aria-valuenow'));
    const start = value();
    expect(splitter.getAttribute('aria-orientation')).toBe('vertical');
    expect(splitter.tabIndex).toBe(0);
    fireEvent.keyDown(splitter, { key: 'ArrowRight' });
    expect(value()).toBe(start + 16);
    fireEvent.keyDown(splitter, { key: 'ArrowLeft', shiftKey: true });
    expect(value()).toBe(start + 16 - 64);
    fireEvent.keyDown(splitter, { key: 'Home' });
    expect(value()).toBe(Number(splitter.getAttribute('aria-valuemin')));
    fireEvent.keyDown(splitter, { key: 'ArrowLeft' });
    expect(value()).toBe(Number(splitter.getAttribute('aria-valuemin')));
    fireEvent.keyDown(splitter, { key: 'End' });
    const max = Number(splitter.getAttribute('aria-valuemax'));
    expect(value()).toBe(max);
    fireEvent.keyDown(splitter, { key: 'ArrowLeft' });
    expect(document.getElementById('vm-sidebar')?.parentElement?.style.getPropertyValue('--sidebar-width')).toBe(`${max - 16}px`);
    cleanup();

    await renderWithStore(<Root />, [makeVm('vm1')]);
    expect(value()).toBe(max - 16);
  });

  it('ignores a stored width it cannot use', async () => {
    localStorage.setItem('qmp-monitor.layout.sidebar-width', '"wide"');
    localStorage.setItem('qmp-monitor.layout.sidebar-collapsed', '{not json');
    await renderWithStore(<Root />, [makeVm('vm1')]);
    expect(Number(screen.getByRole('separator').getAttribute('aria-valuenow'))).toBe(288);
    expect(screen.getByRole('button', { name: 'Hide sidebar' })).toBeTruthy();
  });
});
