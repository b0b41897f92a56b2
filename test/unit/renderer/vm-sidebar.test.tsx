// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar as VmSidebar } from '../../../renderer/src/app/composed-features';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const threeVms = [makeVm('alpha'), makeVm('beta', { name: undefined, config: { id: 'beta', label: 'Build box', target: '/run/b.sock', autoConnect: true } }), makeVm('gamma')];

describe('VM list', () => {
  it('names each VM by query-name, then label, and describes state, version and connection', async () => {
    await renderWithStore(<VmSidebar />, [
      ...threeVms,
      makeVm('delta', {
        name: undefined,
        qemu: undefined,
        runState: undefined,
        config: { id: 'delta', label: '', target: 'tcp:10.0.0.5:4444', autoConnect: true },
        connection: { phase: 'failed', reason: 'connect ECONNREFUSED 10.0.0.5:4444', attempt: 3, since: 1 },
      }),
    ]);
    const nav = screen.getByRole('navigation', { name: 'Virtual machines' });
    const options = within(nav).getAllByRole('option');
    expect(within(nav).getByRole('listbox', { name: 'Virtual machines' })).toBeDefined();
    expect(options.map((o) => o.getAttribute('aria-labelledby') && document.getElementById(o.getAttribute('aria-labelledby')!)?.textContent)).toEqual([
      'alpha',
      'Build box',
      'gamma',
      'tcp:10.0.0.5:4444',
    ]);
    const alphaDetails = document.getElementById(options[0]!.getAttribute('aria-describedby')!)!;
    expect(alphaDetails.textContent).toContain('running');
    expect(alphaDetails.textContent).toContain('QEMU 7.2.22');
    expect(alphaDetails.textContent).toContain('ready');
    expect(options[3]!.textContent).toContain('failed: connect ECONNREFUSED 10.0.0.5:4444');
  });

  it('moves selection and focus with Up, Down, Home and End', async () => {
    const { store } = await renderWithStore(<VmSidebar />, threeVms);
    const option = (name: string) => screen.getByRole('option', { name });
    expect(option('alpha').getAttribute('aria-selected')).toBe('true');
    expect(option('alpha').tabIndex).toBe(0);
    expect(option('Build box').tabIndex).toBe(-1);

    option('alpha').focus();
    fireEvent.keyDown(option('alpha'), { key: 'ArrowDown' });
    expect(store.getState().selectedId).toBe('beta');
    expect(document.activeElement).toBe(option('Build box'));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(option('gamma'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(store.getState().selectedId).toBe('gamma');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement).toBe(option('alpha'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(store.getState().selectedId).toBe('alpha');
    expect(option('alpha').getAttribute('aria-selected')).toBe('true');
    expect(option('gamma').getAttribute('aria-selected')).toBe('false');
  });

  it('counts down to the next reconnect attempt', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      vi.setSystemTime(1_000_000);
      const nextRetryAt = 1_000_000 + 2_600;
      await renderWithStore(<VmSidebar />, [makeVm('a', { connection: { phase: 'reconnecting', nextRetryAt, attempt: 1, since: 1, reason: 'EOF' } })]);
      expect(screen.getByText('reconnecting in 3 s')).toBeTruthy();
      act(() => {
        vi.advanceTimersByTime(1_000);
      });
      expect(screen.getByText('reconnecting in 2 s')).toBeTruthy();
      act(() => {
        vi.advanceTimersByTime(2_000);
      });
      expect(screen.getByText('reconnecting now')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says why the demo VM stopped', async () => {
    const api = createFakeApi([makeVm('a')]);
    api.mocks.getDemo.mockResolvedValue({ status: 'exited', reason: 'killed by SIGKILL' });
    await renderWithStore(<VmSidebar />, [], api);
    expect(screen.getByText('Demo VM: exited (killed by SIGKILL)')).toBeTruthy();
  });

  it('offers found sockets and adds one with a click', async () => {
    const api = createFakeApi();
    api.mocks.listDiscovered.mockResolvedValue([
      { path: '/run/x/qmp.sock', folder: '/run/x', seenAt: 1, alreadyAdded: false },
      { path: '/run/y/qmp.sock', folder: '/run/y', seenAt: 1, alreadyAdded: true },
    ]);
    const { store } = await renderWithStore(<VmSidebar />, [], api);
    expect(screen.queryByRole('button', { name: 'Add /run/y/qmp.sock' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add /run/x/qmp.sock' }));
    await waitFor(() => expect(store.getState().selectedId).toBe('new'));
    expect(api.mocks.addVm).toHaveBeenCalledWith({ target: '/run/x/qmp.sock', autoConnect: true });
    act(() => api.emit('discoveryChanged', []));
    expect(screen.queryByRole('button', { name: 'Add /run/x/qmp.sock' })).toBeNull();
    expect(screen.getByRole('region', { name: 'Found sockets' }).textContent).toContain('No folders are watched.');
  });

  it('shows a found socket’s whole path, breakable after each slash, with its Add button beside it', async () => {
    const api = createFakeApi();
    const path = '/run/user/1000/a-deliberately-long-folder/for-found-sockets/qmp.sock';
    api.mocks.listDiscovered.mockResolvedValue([{ path, folder: '/run/user/1000', seenAt: 1, alreadyAdded: false }]);
    await renderWithStore(<VmSidebar />, [], api);
    const shown = screen.getByTitle(path);
    expect(shown.textContent).toBe(path);
    const pieces = [...shown.children].map((child) => child.textContent).filter(Boolean);
    expect(pieces).toEqual(['/', 'run/', 'user/', '1000/', 'a-deliberately-long-folder/', 'for-found-sockets/', 'qmp.sock']);
    expect(shown.querySelectorAll('wbr')).toHaveLength(pieces.length - 1);
    // Path and button share a row, so the button is never pushed out by the text.
    expect(shown.parentElement).toBe(screen.getByRole('button', { name: `Add ${path}` }).parentElement);
  });
});
