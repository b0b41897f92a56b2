// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar as VmSidebar, StatusArea as StatusPanel } from '../../../renderer/src/app/composed-features';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const readAt = 1;
const ok = (json: string) => ({ status: 'ok' as const, json, readAt });

const detailedVm = makeVm('vm1', {
  uuid: '5b4c2a8e-0000-4000-8000-000000000001',
  details: {
    kvm: ok('{"enabled":false,"present":false}'),
    cpus: ok('[{"cpu-index":0,"qom-path":"/machine/unattached/device[0]","thread-id":4242,"target":"x86_64","props":{}}]'),
    memory: ok('{"base-memory":134217728}'),
    block: ok('[{"device":"d0","qdev":"/machine/peripheral/vblk0/virtio-backend","locked":false,"removable":false,"inserted":{"file":"/tmp/x.qcow2","drv":"qcow2","ro":false}}]'),
    vnc: { status: 'unavailable', reason: 'QEMU was built without VNC' },
    migration: ok('{}'),
  },
});

describe('Status panel', () => {
  it('shows the VM as labelled values under a heading with its name', async () => {
    await renderWithStore(<StatusPanel />, [detailedVm]);
    const main = screen.getByRole('main', { name: 'vm1' });
    expect(within(main).getByRole('heading', { level: 2 }).textContent).toBe('vm1');
    expect(screen.getByLabelText('Run state').textContent).toBe('running');
    expect(screen.getByLabelText('QEMU version').textContent).toBe('QEMU 7.2.22');
    expect(screen.getByLabelText('QEMU package').textContent).toBe('Debian 1:7.2+dfsg-7');
    expect(screen.getByLabelText('UUID').textContent).toBe('5b4c2a8e-0000-4000-8000-000000000001');
    expect(screen.getByLabelText('KVM').textContent).toBe('disabled (not present on host)');
    expect(screen.getByLabelText('Migration').textContent).toBe('none');
    const memory = screen.getByLabelText('Memory');
    expect(memory.textContent).toBe('128 MiB base');
    expect(within(memory).getByTitle('134,217,728 bytes')).toBeTruthy();
  });

  it('shows unavailable details muted with their reason, not as errors', async () => {
    await renderWithStore(<StatusPanel />, [detailedVm]);
    expect(screen.getByLabelText('VNC').textContent).toBe('unavailable (QEMU was built without VNC)');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists CPUs and block devices in tables', async () => {
    await renderWithStore(<StatusPanel />, [detailedVm]);
    const cpus = screen.getByRole('table', { name: 'Virtual CPUs' });
    const cpuRow = within(cpus).getAllByRole('row')[1]!;
    expect(within(cpuRow).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0', '/machine/unattached/device[0]', '4242', 'x86_64']);
    expect(screen.getByText('1 CPU')).toBeTruthy();
    const block = screen.getByRole('table', { name: 'Block devices' });
    const blockRow = within(block).getAllByRole('row')[1]!;
    expect(within(blockRow).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      'd0',
      '/machine/peripheral/vblk0/virtio-backend',
      '/tmp/x.qcow2 (qcow2)',
      'no',
      'no',
    ]);
  });

  it('says why nothing is known while disconnected, with the connection reason', async () => {
    await renderWithStore(<StatusPanel />, [
      makeVm('vm2', { qemu: undefined, name: undefined, connection: { phase: 'failed', reason: 'connect ENOENT /tmp/vm2.sock', attempt: 5, since: 1 } }),
    ]);
    expect(screen.getByLabelText('Connection').textContent).toBe('failed: connect ENOENT /tmp/vm2.sock');
    expect(screen.getByText('Connection problem: connect ENOENT /tmp/vm2.sock')).toBeTruthy();
    expect(screen.getByLabelText('QEMU version').textContent).toBe('unavailable (not connected)');
    expect(screen.getByLabelText('KVM').textContent).toBe('unavailable (not connected)');
    expect(screen.getByRole('button', { name: 'Connect' })).toBeTruthy();
  });

  it('never renders QMP text as markup', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await renderWithStore(<StatusPanel />, [makeVm('vm1', { name: hostile, uuid: hostile })]);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(hostile);
    expect(document.querySelector('img')).toBeNull();
  });

  it('lets long paths and event data wrap only after their separators, never inside names', async () => {
    const api = createFakeApi([makeVm('vm1', { ...detailedVm, config: { id: 'vm1', label: '', target: 'unix:/run/user/1000/vms/qmp.sock', autoConnect: true } })]);
    await renderWithStore(<StatusPanel />, [], api);
    act(() =>
      api.emit('events', {
        events: [{ seq: 5, vmId: 'vm1', event: 'BLOCK_IO_ERROR', timestamp: { seconds: 1, microseconds: 0 }, receivedAt: 0, dataJson: '{"device":"d0","reason":"host-qmp-quit"}' }],
      }),
    );
    /** Each run of text the line breaker keeps together, in order. */
    const pieces = (element: Element) => [...element.querySelectorAll('wbr')].length + 1;
    const target = screen.getByLabelText('Target');
    expect(target.textContent).toBe('unix:/run/user/1000/vms/qmp.sock');
    expect(pieces(target)).toBe(6);
    expect([...target.querySelectorAll('wbr')].every((wbr) => wbr.previousSibling?.textContent?.endsWith('/'))).toBe(true);
    const qdev = within(within(screen.getByRole('table', { name: 'Block devices' })).getAllByRole('row')[1]!).getAllByRole('cell')[1]!;
    expect([...qdev.children].map((piece) => piece.textContent).filter(Boolean)).toEqual(['/', 'machine/', 'peripheral/', 'vblk0/', 'virtio-backend']);
    const event = within(screen.getByRole('list', { name: 'Recent events, newest first' })).getAllByRole('listitem')[0]!;
    const name = within(event).getByText('BLOCK_IO_ERROR');
    expect(name.querySelector('wbr')).toBeNull();
    const data = name.nextElementSibling!;
    expect([...data.children].map((piece) => piece.textContent).filter(Boolean)).toEqual(['{"device":"d0",', '"reason":"host-qmp-quit"}']);
  });

  it('lists the VM’s recent events newest first with 64-bit data intact', async () => {
    const api = createFakeApi([detailedVm]);
    api.mocks.getEvents.mockResolvedValue({
      events: [
        { seq: 0, vmId: 'vm1', event: 'STOP', timestamp: { seconds: 1_700_000_000, microseconds: 1 }, receivedAt: 0 },
        { seq: 1, vmId: 'other', event: 'RESUME', timestamp: { seconds: 1_700_000_001, microseconds: 2 }, receivedAt: 0 },
      ],
      lastSeq: 1,
    });
    await renderWithStore(<StatusPanel />, [], api);
    act(() =>
      api.emit('events', {
        events: [{ seq: 2, vmId: 'vm1', event: 'BALLOON_CHANGE', timestamp: { seconds: 1_700_000_002, microseconds: 3 }, receivedAt: 0, dataJson: '{"actual":18446744073709551615}' }],
      }),
    );
    const list = screen.getByRole('list', { name: 'Recent events, newest first' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('BALLOON_CHANGE');
    expect(items[0]).toContain('{"actual":18446744073709551615}');
    expect(items[1]).toContain('STOP');
  });

  it('charts the VM’s events per second over the last minute', async () => {
    const { api } = await renderWithStore(<StatusPanel />, [detailedVm]);
    expect(screen.getByRole('img', { name: '0 events in the last 60 s' })).toBeTruthy();
    const now = Date.now();
    const event = (seq: number, vmId: string) => ({ seq, vmId, event: 'RESUME', timestamp: { seconds: 1, microseconds: 0 }, receivedAt: now - 500 });
    act(() => api.emit('events', { events: [event(1, 'vm1'), event(2, 'other'), event(3, 'vm1')] }));
    expect(screen.getByRole('img', { name: '2 events in the last 60 s' })).toBeTruthy();
  });

  it('removes a VM only after confirmation', async () => {
    const { api, store } = await renderWithStore(<StatusPanel />, [makeVm('vm1')]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Remove vm1?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(store.getState().vms).toEqual([]));
    expect(api.mocks.removeVm).toHaveBeenCalledWith({ id: 'vm1' });
    expect(screen.getByRole('button', { name: 'Start demo VM' })).toBeTruthy();
  });

  it('shows why Connect failed and keeps the VM', async () => {
    const api = createFakeApi([makeVm('vm1', { connection: { phase: 'stopped', attempt: 0, since: 1 } })]);
    api.mocks.connectVm.mockRejectedValue(new Error('unknown VM vm1'));
    await renderWithStore(<StatusPanel />, [], api);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('unknown VM vm1');
    expect(screen.getByLabelText('Connection').textContent).toBe('disconnected');
  });

  it('puts focus on the next VM after a removal', async () => {
    const { store } = await renderWithStore(
      <>
        <VmSidebar />
        <StatusPanel />
      </>,
      [makeVm('vm1'), makeVm('vm2')],
    );
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Remove vm1?' })).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('option', { name: 'vm2' })));
    expect(store.getState().selectedId).toBe('vm2');
  });
});

describe('Empty state', () => {
  it('starts the demo VM and shows progress until it runs', async () => {
    const { api } = await renderWithStore(<StatusPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Start demo VM' }));
    await waitFor(() => expect(api.mocks.startDemo).toHaveBeenCalled());
    act(() => api.emit('demoChanged', { status: 'starting' }));
    expect(screen.getByRole('button', { name: 'Starting demo VM…' })).toHaveProperty('disabled', true);
    act(() => api.emit('demoChanged', { status: 'exited', reason: 'exit code 1: qemu: could not load PC BIOS' }));
    expect(screen.getByText(/could not load PC BIOS/)).toBeTruthy();
  });

  it('explains how to install QEMU when it is missing', async () => {
    const api = createFakeApi();
    api.mocks.getAppInfo.mockResolvedValue({ ...(await api.getAppInfo({})), qemuBinary: null, qemuInstallHint: 'sudo apt install qemu-system-x86' });
    await renderWithStore(<StatusPanel />, [], api);
    expect(screen.getByText('QEMU is not installed, so the demo VM cannot start.')).toBeTruthy();
    expect(screen.getByText('sudo apt install qemu-system-x86')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start demo VM' })).toBeNull();
  });
});
