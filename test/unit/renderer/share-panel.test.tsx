// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShareState } from '../../../electron/common/models';
import { StatusArea } from '../../../renderer/src/app/composed-features';
import { eventSummary } from '../../../renderer/src/features/timeline/event-kinds';
import { shareClientLabel } from '../../../renderer/src/lib/share-client';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const listening: ShareState = {
  enabled: true,
  status: 'listening',
  endpoint: { unixPath: '/run/user/1000/qmp-monitor/vm1-abcdefgh.sock' },
  clients: [
    { id: 'c1', peer: 'unix', pid: 4242, processName: 'qmp-shell', connectedAt: Date.UTC(2026, 11, 2, 14, 3, 7), commands: 3 },
    { id: 'c2', peer: 'tcp 127.0.0.1:5555', connectedAt: Date.UTC(2026, 11, 2, 14, 4, 0), commands: 0 },
  ],
};

describe('Share panel', () => {
  it('shows the switch, the endpoint with a Copy button and one row per client', async () => {
    await renderWithStore(<StatusArea />, [makeVm('vm1', { share: listening })]);
    const section = screen.getByRole('region', { name: 'Shared monitor' });
    const toggle = within(section).getByRole('switch', { name: 'Share this monitor' });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    expect(within(section).getByLabelText('Endpoint').textContent).toBe('/run/user/1000/qmp-monitor/vm1-abcdefgh.sock');
    expect(within(section).getByRole('button', { name: 'Copy endpoint path' })).toBeTruthy();
    const table = within(section).getByRole('table', { name: 'Clients of the shared monitor' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      ['qmp-shell', '4242', new Date(listening.clients[0]!.connectedAt).toLocaleTimeString('en-GB'), '3'],
      ['tcp 127.0.0.1:5555 client', '—', new Date(listening.clients[1]!.connectedAt).toLocaleTimeString('en-GB'), '0'],
    ]);
  });

  it('updates the client rows live from vmChanged pushes', async () => {
    const vm = makeVm('vm1', { share: { ...listening, clients: [] } });
    const { api } = await renderWithStore(<StatusArea />, [vm]);
    expect(screen.getByText('No other client is connected.')).toBeTruthy();
    act(() => api.emit('vmChanged', { ...vm, share: listening }));
    expect(screen.getByRole('table', { name: 'Clients of the shared monitor' })).toBeTruthy();
  });

  it('turns sharing off through the store and shows a refusal as an alert', async () => {
    const vm = makeVm('vm1', { share: listening });
    const api = createFakeApi([vm]);
    api.mocks.setVmSharing.mockResolvedValueOnce(makeVm('vm1', { share: { enabled: false, status: 'off', clients: [] } }));
    await renderWithStore(<StatusArea />, [vm], api);
    fireEvent.click(screen.getByRole('switch', { name: 'Share this monitor' }));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Share this monitor' }) as HTMLInputElement).checked).toBe(false));
    expect(api.mocks.setVmSharing).toHaveBeenCalledWith({ id: 'vm1', enabled: false });
    expect(screen.queryByLabelText('Endpoint')).toBeNull();

    api.mocks.setVmSharing.mockRejectedValueOnce(new Error('could not save the connection list in /x: permission denied'));
    fireEvent.click(screen.getByRole('switch', { name: 'Share this monitor' }));
    expect((await screen.findByRole('alert')).textContent).toBe('could not save the connection list in /x: permission denied');
  });

  it('shows why the endpoint could not be opened', async () => {
    await renderWithStore(<StatusArea />, [makeVm('vm1', { share: { enabled: true, status: 'failed', clients: [], error: 'could not share the monitor at /x.sock: EACCES' } })]);
    expect(screen.getByRole('alert').textContent).toBe('could not share the monitor at /x.sock: EACCES');
  });

  it('copies the endpoint path and says so', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderWithStore(<StatusArea />, [makeVm('vm1', { share: listening })]);
    fireEvent.click(screen.getByRole('button', { name: 'Copy endpoint path' }));
    await waitFor(() => expect(screen.getByText(`Copied ${listening.endpoint!.unixPath!}`)).toBeTruthy());
    expect(writeText).toHaveBeenCalledWith(listening.endpoint!.unixPath);
  });
});

describe('shared clients in words', () => {
  it('names a client by process and pid, else what is known', () => {
    expect(shareClientLabel({ processName: 'qmp-shell', pid: 4242, peer: 'unix' })).toBe('qmp-shell (pid 4242)');
    expect(shareClientLabel({ pid: 7n, peer: 'unix' })).toBe('pid 7');
    expect(shareClientLabel({ peer: 'tcp 127.0.0.1:5555' })).toBe('tcp 127.0.0.1:5555 client');
    expect(shareClientLabel({})).toBe('a QMP client');
  });

  it('summarises a shared client command marker with the client first', () => {
    const data = { command: 'device_del', outcome: 'ok', durationMs: 2, origin: 'shared', client: { id: 'c1', peer: 'unix', pid: 4242, processName: 'qmp-shell' } };
    expect(eventSummary({ event: 'device_del', marker: 'command', dataJson: JSON.stringify(data) })).toBe('qmp-shell (pid 4242): device_del → ok');
    const failed = { ...data, outcome: 'error', errorClass: 'DeviceNotFound' };
    expect(eventSummary({ event: 'device_del', marker: 'command', dataJson: JSON.stringify(failed) })).toBe('qmp-shell (pid 4242): device_del → DeviceNotFound');
  });
});
