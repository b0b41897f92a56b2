// @vitest-environment happy-dom
/**
 * The Jobs and Migration cards as composed into the status panel: rows by role and name,
 * actions closed with QEMU's reason, a refused action shown as an alert, Dismiss of an ended job.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobRow } from '../../../electron/common/jobs-models';
import { StatusArea } from '../../../renderer/src/app/composed-features';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

// happy-dom has no canvas: a 2D context and Path2D that accept every call let the real uPlot build.
beforeAll(() => {
  vi.stubGlobal('Path2D', class {
    public moveTo(): void {}
    public lineTo(): void {}
    public rect(): void {}
    public closePath(): void {}
  });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    const state: Record<string | symbol, unknown> = { canvas: this };
    return new Proxy(state, {
      get: (target, name) => (name in target ? target[name] : name === 'measureText' ? (text: string) => ({ width: text.length * 6 }) : () => undefined),
      set: (target, name, value) => ((target[name] = value), true),
    }) as never;
  });
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const MiB = 1024 * 1024;
const running: JobRow = { id: 'mirror0', type: 'mirror', state: 'running', current: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, speedLimit: 2 * MiB, userPaused: false, updatedAt: 1, inQemu: true };
const ready = (vm: string) => ({ connection: { phase: 'ready' as const, attempt: 0, since: 1 }, config: { id: vm, label: vm, target: '/tmp/x.sock', autoConnect: true } });

describe('Jobs section', () => {
  it('shows a job as a row with a named progressbar, its numbers and actions open only where QEMU allows', async () => {
    await renderWithStore(<StatusArea />, [makeVm('vm1', { ...ready('vm1'), jobs: { jobs: [running] } })]);
    const table = screen.getByRole('table', { name: 'Jobs' });
    const row = within(table).getByRole('row', { name: /^mirror0 mirror/ });
    const bar = within(row).getByRole('progressbar', { name: 'Progress of job mirror0' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.getAttribute('aria-valuetext')).toBe('4 MiB of 16 MiB (25%)');
    expect(row.textContent).toContain('2 MiB/s (limit 2 MiB/s)');
    const complete = within(row).getByRole('button', { name: 'Complete' });
    expect(complete.getAttribute('aria-disabled')).toBe('true');
    expect(complete.getAttribute('title')).toBe('Complete is unavailable: QEMU accepts job-complete only when the job is ready; it is running');
    expect(within(row).getByRole('button', { name: 'Pause' }).getAttribute('aria-disabled')).toBe('false');
  });

  it('sends an action as job-… with the id, and shows QEMU’s refusal', async () => {
    const api = createFakeApi([makeVm('vm1', { ...ready('vm1'), jobs: { jobs: [running] } })]);
    api.mocks.executeCommand.mockResolvedValueOnce({ ok: false, errorClass: 'GenericError', desc: "Job 'mirror0' in state 'running' cannot accept command verb 'pause'", durationMs: 1 });
    await renderWithStore(<StatusArea />, undefined, api);
    fireEvent.click(within(screen.getByRole('row', { name: /^mirror0/ })).getByRole('button', { name: 'Pause' }));
    expect((await screen.findByRole('alert')).textContent).toBe("GenericError: Job 'mirror0' in state 'running' cannot accept command verb 'pause'");
    expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'job-pause', argumentsJson: '{"id":"mirror0"}' });
  });

  it('keeps an ended job with its outcome and error until Dismiss, even when disconnected', async () => {
    const failed: JobRow = { ...running, state: 'concluded', outcome: 'failed', error: 'No space left on device', inQemu: false };
    const vm = makeVm('vm1', { jobs: { jobs: [failed] } });
    const { api } = await renderWithStore(<StatusArea />, [vm]);
    const row = screen.getByRole('row', { name: /^mirror0/ });
    expect(row.textContent).toContain('ended: failed');
    expect(row.textContent).toContain('error: No space left on device');
    expect(within(row).getByRole('button', { name: 'Cancel' }).getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(within(row).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(api.mocks.dismissJob).toHaveBeenCalledWith({ vmId: 'vm1', id: 'mirror0' }));
    act(() => api.emit('vmChanged', { ...vm, jobs: { jobs: [] } }));
    expect(screen.getByText(/No block or generic jobs/)).toBeTruthy();
  });

  it('shows a running migration with its progress bar, numbers and chart', async () => {
    const migration = { status: 'active', transferred: 30 * MiB, remaining: 90 * MiB, total: 128 * MiB, mbps: 80, passes: 2, expectedDowntime: 300, history: [[1_000, 10 * MiB], [1_500, 30 * MiB]] as [number, number][], updatedAt: 2 };
    await renderWithStore(<StatusArea />, [makeVm('vm1', { ...ready('vm1'), jobs: { jobs: [], migration } })]);
    const section = screen.getByRole('region', { name: 'Live migration' });
    expect(within(section).getByRole('progressbar', { name: 'Migration progress' }).getAttribute('aria-valuenow')).toBe('25');
    expect(within(section).getByLabelText('Status').textContent).toBe('active');
    expect(within(section).getByLabelText('Remaining').textContent).toBe('90 MiB');
    expect(within(section).getByLabelText('Expected downtime').textContent).toBe('300 ms');
    expect(within(section).getByRole('img', { name: 'Migration: bytes transferred over time, 30 MiB so far' })).toBeTruthy();
  });
});
