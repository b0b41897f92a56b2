// @vitest-environment happy-dom
/**
 * The Screen card of the status page (rendered alone: the page's charts need a canvas happy-dom lacks): the picture as an image named after the VM and its size,
 * enlarged in a dialog, a note instead of a broken image, and reads that follow the interval
 * setting and stop while the page is hidden.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScreenThumbnail } from '../../../renderer/src/features/screen/screen-thumbnail';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.localStorage.clear();
});

const PICTURE = {
  available: true as const,
  dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  width: 640,
  height: 480,
  format: 'png' as const,
  takenAt: Date.UTC(2026, 11, 2, 3, 0, 0),
};

describe('Screen card', () => {
  it('shows the picture named after the VM and its size, and enlarges it in a dialog', async () => {
    const api = createFakeApi([makeVm('vm1', { name: 'web-1' })]);
    api.mocks.getScreenshot.mockResolvedValue(PICTURE);
    await renderWithStore(<ScreenThumbnail vm={makeVm('vm1', { name: 'web-1' })} />, [], api);
    const card = screen.getByRole('region', { name: 'Screen' });
    const image = await within(card).findByRole('img', { name: 'Screen of web-1, 640×480' });
    expect(image.getAttribute('src')).toBe(PICTURE.dataUrl);
    expect(card.textContent).toContain('640 × 480');
    fireEvent.click(within(card).getByRole('button', { name: 'Enlarge the screen of web-1' }));
    const dialog = screen.getByRole('dialog', { name: 'Screen of web-1' });
    expect(within(dialog).getByRole('img', { name: 'Screen of web-1, 640×480' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows QEMU\'s reason as a note instead of an image', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    api.mocks.getScreenshot.mockResolvedValue({ available: false, kind: 'no-display', note: 'This VM has no display to take a picture of.' });
    await renderWithStore(<ScreenThumbnail vm={makeVm('vm1')} />, [], api);
    const card = screen.getByRole('region', { name: 'Screen' });
    await within(card).findByText('This VM has no display to take a picture of.');
    expect(within(card).queryByRole('img')).toBeNull();
  });

  it('does not ask a VM that is not connected', async () => {
    const vm = makeVm('vm1', { connection: { phase: 'failed', attempt: 1, since: 2, reason: 'gone' } });
    const api = createFakeApi([vm]);
    await renderWithStore(<ScreenThumbnail vm={vm} />, [], api);
    expect(screen.getByRole('region', { name: 'Screen' }).textContent).toContain('No picture: the VM is not connected.');
    expect(api.mocks.getScreenshot).not.toHaveBeenCalled();
  });

  it('reads every 5 s by default, on request, and not while the page is hidden', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = createFakeApi([makeVm('vm1')]);
    api.mocks.getScreenshot.mockResolvedValue(PICTURE);
    await renderWithStore(<ScreenThumbnail vm={makeVm('vm1')} />, [], api);
    await waitFor(() => expect(api.mocks.getScreenshot).toHaveBeenCalledTimes(1));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(api.mocks.getScreenshot).toHaveBeenCalledTimes(2);
    const card = screen.getByRole('region', { name: 'Screen' });
    expect((within(card).getByRole('combobox', { name: 'Refresh' }) as HTMLSelectElement).value).toBe('5');
    fireEvent.click(within(card).getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(api.mocks.getScreenshot).toHaveBeenCalledTimes(3));

    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(api.mocks.getScreenshot).toHaveBeenCalledTimes(3);
    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(api.mocks.getScreenshot).toHaveBeenCalledTimes(4));

    const before = api.mocks.getScreenshot.mock.calls.length;
    fireEvent.change(within(card).getByRole('combobox', { name: 'Refresh' }), { target: { value: '0' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    // A change of interval reads once, then only on request.
    expect(api.mocks.getScreenshot.mock.calls.length).toBe(before + 1);
    expect(window.localStorage.getItem('qmp-monitor.layout.screen-refresh-s')).toBe('0');
  });
});
