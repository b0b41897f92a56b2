// @vitest-environment happy-dom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { TimelineProgress } from '../../../renderer/src/features/timeline/timeline-progress';
import { createFakeApi } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const ev = (seq: number): TimelineEvent => ({ seq, vmId: 'vm', event: 'STOP', timestamp: { seconds: 0, microseconds: 0 }, receivedAt: 0 });

/** A getEvents whose first answer is given at once and every later one when the test says. */
function pagedApi(first: { events: TimelineEvent[]; lastSeq: number; held?: number }) {
  const api = createFakeApi();
  const answers: ((page: { events: TimelineEvent[]; lastSeq: number }) => void)[] = [];
  api.mocks.getEvents.mockResolvedValueOnce(first).mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
  const answer = (page: { events: TimelineEvent[]; lastSeq: number }): Promise<void> =>
    act(async () => {
      answers.shift()!(page);
      await Promise.resolve();
    });
  return { api, answer };
}

describe('TimelineProgress', () => {
  it('shows the history load as a progress bar with its count, and nothing once loaded', async () => {
    const { api, answer } = pagedApi({ events: [ev(0), ev(1)], lastSeq: 9_999, held: 10_000 });
    await renderWithStore(<TimelineProgress />, [], api);
    const bar = screen.getByRole('progressbar', { name: 'Loading history' });
    expect(bar.textContent).toBe('Loading history: 2 of 10,000');
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['2', '10000']);
    await answer({ events: Array.from({ length: 5_000 }, (_, i) => ev(i + 2)), lastSeq: 9_999 });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('5002');
    await answer({ events: Array.from({ length: 4_998 }, (_, i) => ev(i + 5_002)), lastSeq: 9_999 });
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says how far behind it is while catching up after a notice, as a status', async () => {
    const { api, answer } = pagedApi({ events: [ev(0)], lastSeq: 0 });
    await renderWithStore(<TimelineProgress />, [], api);
    expect(screen.queryByRole('status')).toBeNull();
    act(() => api.emit('events', { events: [], afterSeq: 0, lastSeq: 250_000, flow: 'F', behind: true }));
    await answer({ events: [ev(1), ev(2)], lastSeq: 250_000 });
    expect(screen.getByRole('status').textContent).toBe('Catching up: 249,998 events behind');
    await answer({ events: Array.from({ length: 249_998 }, (_, i) => ev(i + 3)), lastSeq: 250_000 });
    expect(screen.queryByRole('status')).toBeNull();
    expect(api.mocks.ackEvents).toHaveBeenLastCalledWith({ flow: 'F', seq: 250_000 });
  });
});
