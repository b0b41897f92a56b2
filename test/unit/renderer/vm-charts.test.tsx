// @vitest-environment happy-dom
/**
 * The Live charts card (happy-dom has no canvas, so the lines are not drawn; the names and
 * the values beside them are): charts named with their latest values, host figures replaced
 * by the core's reason, and polling that renews the lease, asks only for newer samples, stops
 * while the page is hidden or the card closed, and resumes after the newest sample it holds.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sample, SamplesPage } from '../../../electron/common/samples';
import { VmCharts } from '../../../renderer/src/features/charts/vm-charts';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  window.localStorage.clear();
});

const MIB = 1024 * 1024;

function sample(seq: number, overrides: Partial<Sample> = {}): Sample {
  return {
    seq,
    at: Date.now() - 5000 + seq * 1000,
    blocks: [{ device: 'drive0', readBytesPerSec: 0, writeBytesPerSec: 2 * MIB, readOpsPerSec: 0, writeOpsPerSec: 4, readBytes: 0, writeBytes: 3 * MIB, readOps: 0, writeOps: 6 }],
    cpuPercent: 12.5,
    rssBytes: 50 * MIB,
    vcpuPercent: [{ index: 0, percent: 3 }],
    guestMemoryBytes: 128 * MIB,
    balloonBytes: null,
    ...overrides,
  };
}

function page(samples: Sample[], sources: Partial<SamplesPage['sources']> = {}): SamplesPage {
  return { samples, lastSeq: samples[samples.length - 1]?.seq ?? 0, skipped: 0, intervalMs: 1000, sources: { pid: 42, hostReason: null, balloonReason: 'No balloon device has been activated', memoryReason: null, ...sources } };
}

describe('Live charts card', () => {
  it('names each chart with its latest values and prints them beside it', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    api.mocks.getSamples.mockResolvedValue(page([sample(1), sample(2)]));
    await renderWithStore(<VmCharts vm={makeVm('vm1')} />, [], api);
    const card = screen.getByRole('region', { name: 'Live charts' });
    await within(card).findByRole('img', { name: /^Block I\/O of drive0, bytes per second: Read 0 bytes\/s, Write 2 MiB\/s, Read total 0 bytes, Written total 3 MiB$/ });
    within(card).getByRole('img', { name: 'Block I/O of drive0, operations per second: Reads 0 ops/s, Writes 4 ops/s, Read ops total 0, Write ops total 6' });
    within(card).getByRole('img', { name: 'QEMU process CPU (PID 42), percent of one core: QEMU process 12.5 %' });
    within(card).getByRole('img', { name: 'vCPU threads, host CPU percent of one core: vCPU 0 3.0 %' });
    within(card).getByRole('img', { name: 'Memory, bytes: QEMU resident (RSS) 50 MiB, Guest memory 128 MiB' });
    expect(card.textContent).toContain('Balloon: unavailable (No balloon device has been activated)');
    expect(within(card).getAllByRole('definition').map((d) => d.textContent)).toContain('3 MiB');
  });

  it('says why host figures are missing instead of showing numbers', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    api.mocks.getSamples.mockResolvedValue(page([sample(1, { cpuPercent: null, rssBytes: null, vcpuPercent: [] })], { pid: null, hostReason: 'QEMU runs on another host (example.org)' }));
    await renderWithStore(<VmCharts vm={makeVm('vm1')} />, [], api);
    const card = screen.getByRole('region', { name: 'Live charts' });
    await within(card).findByText(/unavailable \(QEMU runs on another host \(example\.org\)\)/);
    expect(within(card).queryByRole('img', { name: /QEMU process CPU/ })).toBeNull();
    within(card).getByRole('img', { name: 'Memory, bytes: Guest memory 128 MiB' });
  });

  it('renews the lease, asks after its newest sample, and stops while hidden or closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = createFakeApi([makeVm('vm1')]);
    const held = [sample(1), sample(2)];
    api.mocks.getSamples.mockImplementation(async (p: { afterSeq: number }) => ({ ...page(held.filter((s) => s.seq > p.afterSeq)), lastSeq: 2 }));
    await renderWithStore(<VmCharts vm={makeVm('vm1')} />, [], api);
    await waitFor(() => expect(api.mocks.getSamples).toHaveBeenCalledTimes(1));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    await waitFor(() => expect(api.mocks.getSamples.mock.calls.map((c) => c[0])).toContainEqual({ vmId: 'vm1', afterSeq: 2 }));
    expect(api.mocks.watchSamples.mock.calls[0]![0]).toEqual({ vmId: 'vm1', intervalMs: 1000 });

    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const whileHidden = api.mocks.getSamples.mock.calls.length;
    const renewals = api.mocks.watchSamples.mock.calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(api.mocks.getSamples.mock.calls.length).toBe(whileHidden);
    expect(api.mocks.watchSamples.mock.calls.length).toBe(renewals);

    // Shown again: the lease is renewed at once and the pull continues after seq 2, no restart.
    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(api.mocks.watchSamples.mock.calls.length).toBe(renewals + 1));
    await waitFor(() => expect(api.mocks.getSamples.mock.calls.length).toBeGreaterThan(whileHidden));
    expect(api.mocks.getSamples.mock.calls[whileHidden]![0]).toEqual({ vmId: 'vm1', afterSeq: 2 });

    const card = screen.getByRole('region', { name: 'Live charts' });
    fireEvent.click(within(card).getByRole('button', { name: 'Hide charts' }));
    const whileClosed = api.mocks.getSamples.mock.calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(api.mocks.getSamples.mock.calls.length).toBe(whileClosed);
    expect(within(card).queryByRole('img')).toBeNull();
  });
});
