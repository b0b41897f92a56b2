// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { Root } from '../../../renderer/src/app/root';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

/** happy-dom has no canvas: a 2D context that accepts every call lets the real uPlot strip draw. */
function fakeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const state: Record<string | symbol, unknown> = { canvas };
  return new Proxy(state, {
    get: (target, name) => (name in target ? target[name] : name === 'measureText' ? (text: string) => ({ width: text.length * 6 }) : () => undefined),
    set: (target, name, value) => ((target[name] = value), true),
  }) as unknown as CanvasRenderingContext2D;
}

// happy-dom lays nothing out: give the list a viewport so the virtualiser renders rows.
beforeAll(() => {
  vi.stubGlobal('Path2D', class { moveTo() {} lineTo() {} rect() {} arc() {} closePath() {} bezierCurveTo() {} quadraticCurveTo() {} addPath() {} });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    return fakeContext(this) as never;
  });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  const rect = HTMLElement.prototype.getBoundingClientRect;
  HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
    return this.getAttribute('role') === 'listbox' ? ({ x: 0, y: 0, top: 0, left: 0, width: 800, height: 400, right: 800, bottom: 400, toJSON: () => ({}) } as DOMRect) : rect.call(this);
  };
});

function ev(seq: number, vmId: string, event: string, dataJson?: string, marker?: TimelineEvent['marker']): TimelineEvent {
  return { seq, vmId, event, timestamp: { seconds: 1_733_140_000 + seq, microseconds: 123_456 }, receivedAt: 1_733_140_000_000 + seq * 1000 + 125, ...(dataJson ? { dataJson } : {}), ...(marker ? { marker } : {}) };
}

const MARKUP = '<img src=x onerror=alert(1)>';

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function openTimeline(events: TimelineEvent[]) {
  const api = createFakeApi([makeVm('vm1', { name: MARKUP }), makeVm('vm2')]);
  api.mocks.getEvents.mockResolvedValue({ events, lastSeq: events.at(-1)?.seq ?? -1 });
  const rendered = await renderWithStore(<Root />, [], api);
  fireEvent.click(screen.getByRole('tab', { name: 'Timeline' }));
  return rendered;
}

const rows = () => within(screen.getByRole('listbox', { name: /Timeline events/ })).queryAllByRole('option');

describe('Timeline view', () => {
  it('is a tab of the main area, listing every VM’s events oldest first with name, VM and kind', async () => {
    await openTimeline([ev(0, 'vm1', 'STOP'), ev(1, 'vm2', 'RESUME'), ev(2, 'vm1', 'BLOCK_JOB_COMPLETED', '{"device":"drive0","len":18446744073709551615}')]);
    expect(screen.getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('main', { name: 'Timeline' })).toBeTruthy();
    const shown = rows();
    expect(shown.map((row) => row.getAttribute('aria-label')?.split(',')[0])).toEqual([`STOP on ${MARKUP}`, 'RESUME on vm2', `BLOCK_JOB_COMPLETED on ${MARKUP}`]);
    expect(shown[2]!.textContent).toContain('job');
    expect(shown[2]!.textContent).toContain('drive0 16 EiB');
    // Markup in a VM name is text, never elements.
    expect(document.querySelector('main img')).toBeNull();
    expect(shown[0]!.textContent).toContain(MARKUP);
    expect(screen.getByText('3 of 3 events')).toBeTruthy();
    const time = within(shown[0]!).getByTitle(/QEMU time 1733140000\.123456/);
    expect(time.textContent).toMatch(/^\d\d:\d\d:\d\d\.123$/);
    expect(time.getAttribute('title')).toContain('arrived 2 ms later');
  });

  it('filters by free text and by event name, shows chips and clears them in one action', async () => {
    await openTimeline([ev(0, 'vm1', 'STOP'), ev(1, 'vm2', 'DEVICE_DELETED', '{"device":"vblk0"}'), ev(2, 'vm1', 'RESUME'), ev(3, 'vm2', 'STOP')]);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter events' }), { target: { value: 'VBLK' } });
    expect(rows().map((row) => row.getAttribute('aria-label')?.split(' on ')[0])).toEqual(['DEVICE_DELETED']);
    expect(screen.getByText('1 of 4 events')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Active filters' })).getByText('text: VBLK')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(rows()).toHaveLength(4);
    const names = screen.getByRole('group', { name: 'Event names' });
    expect(within(names).getByText('STOP').parentElement!.textContent).toBe('STOP2');
    fireEvent.click(within(names).getByRole('checkbox', { name: /STOP/ }));
    expect(rows().map((row) => row.getAttribute('aria-label')?.split(',')[0])).toEqual([`STOP on ${MARKUP}`, 'STOP on vm2']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter event: STOP' }));
    expect(rows()).toHaveLength(4);
  });

  it('scopes to the selected VM with one switch and hides app markers with another', async () => {
    await openTimeline([ev(0, 'vm1', 'STOP'), ev(1, 'vm2', 'RESUME'), ev(2, 'vm1', 'connected', '{"version":"7.2.0"}', 'connected')]);
    const marker = rows()[2]!;
    expect(marker.textContent).toContain('app');
    expect(marker.textContent).toContain('QEMU 7.2.0');
    fireEvent.click(screen.getByRole('switch', { name: /^Only / }));
    expect(rows()).toHaveLength(2);
    fireEvent.click(screen.getByRole('switch', { name: /^Only / }));
    fireEvent.click(screen.getByRole('switch', { name: 'Show app markers' }));
    expect(rows()).toHaveLength(2);
    expect(rows().some((row) => row.textContent?.includes('QEMU 7.2.0'))).toBe(false);
  });

  it('moves with the keyboard and opens a row as a JSON tree with exact big integers', async () => {
    await openTimeline([ev(0, 'vm1', 'STOP'), ev(1, 'vm2', 'BLOCK_JOB_COMPLETED', '{"device":"drive0","len":18446744073709551615}')]);
    const list = screen.getByRole('listbox', { name: /Timeline events/ });
    fireEvent.keyDown(list, { key: 'Home' });
    expect(list.getAttribute('aria-activedescendant')).toBe(rows()[0]!.id);
    expect(rows()[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe(rows()[1]!.id);
    // The id names the active row alone.
    expect(rows()[1]!.id).not.toBe('');
    expect(rows()[0]!.id).toBe('');
    fireEvent.keyDown(list, { key: 'Enter' });
    const details = screen.getByRole('region', { name: 'Event details' });
    expect(within(details).getByRole('heading').textContent).toBe('BLOCK_JOB_COMPLETED on vm2');
    expect(details.textContent).toContain('18446744073709551615');
    fireEvent.keyDown(list, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Event details' })).toBeNull();
  });

  it('renders only the rows in view of a long list: the newest while following, the oldest after Home', async () => {
    const { api } = await openTimeline(Array.from({ length: 5_000 }, (_, i) => ev(i, 'vm2', i % 2 ? 'STOP' : 'RESUME')));
    const list = screen.getByRole('listbox', { name: /Timeline events/ });
    const seqOf = (row: HTMLElement) => Number(row.dataset['position']);
    // 400 px of 26 px rows, and a few more either side: a few dozen elements for 5,000 events.
    expect(rows().length).toBeLessThan(60);
    expect(rows().map(seqOf).at(-1)).toBe(4_999);
    act(() => api.emit('events', { events: [ev(5_000, 'vm1', 'RESUME')] }));
    // The tail's other layer is rebuilt over a few frames out of sight, then shown whole: the
    // rows on offer are never half old, half new.
    expect(rows().map(seqOf).at(-1)).toBe(4_999);
    await waitFor(() => expect(rows().map(seqOf).at(-1)).toBe(5_000));
    const following = rows().map(seqOf);
    expect(following).toEqual(Array.from({ length: following.length }, (_, i) => 5_001 - following.length + i));
    fireEvent.keyDown(list, { key: 'Home' });
    expect(rows().map(seqOf)[0]).toBe(0);
    expect(list.getAttribute('aria-activedescendant')).toBe('timeline-row-0');
    expect(screen.getByText('5,001 of 5,001 events')).toBeTruthy();
  });

  it('follows new events, pauses when scrolled away and offers to jump back', async () => {
    const { api } = await openTimeline(Array.from({ length: 100 }, (_, i) => ev(i, 'vm1', 'STOP')));
    const list = screen.getByRole('listbox', { name: /Timeline events/ });
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: () => 100 * 26 });
    list.scrollTop = 0;
    fireEvent.scroll(list);
    act(() => api.emit('events', { events: [ev(100, 'vm2', 'RESUME'), ev(101, 'vm2', 'RESUME')] }));
    fireEvent.click(screen.getByRole('button', { name: '2 new events: jump to newest' }));
    expect(screen.queryByRole('button', { name: /new events/ })).toBeNull();
  });

  it('switches views from the keyboard (arrows on the tabs)', async () => {
    await openTimeline([ev(0, 'vm1', 'STOP')]);
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Timeline' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'Status' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Status' }));
    expect(screen.queryByRole('main', { name: 'Timeline' })).toBeNull();
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Status' }), { key: 'End' });
    const tabs = screen.getAllByRole('tab');
    expect(tabs.at(-1)!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tabs.at(-1)!, { key: 'Home' });
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Status' }), { key: 'ArrowRight' });
    expect(screen.getByRole('main', { name: 'Timeline' })).toBeTruthy();
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(screen.getByRole('tab', { name: 'Timeline' }).id);
  });

  it('opens from a VM’s recent events already scoped to it', async () => {
    const api = createFakeApi([makeVm('vm1'), makeVm('vm2')]);
    api.mocks.getEvents.mockResolvedValue({ events: [ev(0, 'vm1', 'STOP'), ev(1, 'vm2', 'RESUME')], lastSeq: 1 });
    await renderWithStore(<Root />, [], api);
    fireEvent.click(screen.getByRole('option', { name: /vm2/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Show in timeline' }));
    expect(screen.getByRole('switch', { name: 'Only vm2' })).toHaveProperty('checked', true);
    expect(rows().map((row) => row.getAttribute('aria-label')?.split(',')[0])).toEqual(['RESUME on vm2']);
  });
});
