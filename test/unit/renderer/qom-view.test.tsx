// @vitest-environment happy-dom
/**
 * The QOM browser over the real store and a scripted API: a lazy tree with the ARIA tree
 * pattern's keys, link targets that can be followed, values read on selection (a failed read
 * shows QEMU's error), and qom-set only after a confirmation, with the value read back shown.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { QomView } from '../../../renderer/src/features/qom/qom-view';
import { createFakeApi, makeVm, type FakeApi } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

/** A small QOM: /machine with peripheral/rng0, a link to its backend, and /objects/io0. */
const LISTS: Record<string, Array<{ name: string; type: string }>> = {
  '/machine': [
    { name: 'type', type: 'string' },
    { name: 'peripheral', type: 'child<container>' },
    { name: 'peripheral-anon', type: 'child<container>' },
  ],
  '/machine/peripheral': [
    { name: 'type', type: 'string' },
    { name: 'rng0', type: 'child<virtio-rng-pci>' },
  ],
  '/machine/peripheral-anon': [{ name: 'type', type: 'string' }],
  '/machine/peripheral/rng0': [
    { name: 'type', type: 'string' },
    { name: 'rng', type: 'link<rng-backend>' },
    { name: 'max-bytes', type: 'uint64' },
    { name: 'backend', type: 'child<rng-builtin>' },
  ],
  '/machine/peripheral/rng0/backend': [{ name: 'type', type: 'string' }],
  '/objects': [{ name: 'io0', type: 'child<iothread>' }],
};
const VALUES: Record<string, string> = {
  '/machine/peripheral/rng0 rng': '"/machine/peripheral/rng0/backend"',
  '/machine/peripheral/rng0 max-bytes': '18446744073709551615',
  '/machine/peripheral/rng0/backend type': '"rng-builtin"',
};

function qomApi(): FakeApi {
  const api = createFakeApi([makeVm('vm1')]);
  api.mocks.qomList.mockImplementation(async ({ path }: { path: string }) => {
    const properties = LISTS[path];
    if (!properties) throw new Error(`DeviceNotFound: Device '${path}' not found`);
    return { properties };
  });
  api.mocks.qomGet.mockImplementation(async ({ path, property }: { path: string; property: string }) => {
    if (property === 'type' && path === '/machine/peripheral/rng0') return { ok: false, errorClass: 'GenericError', desc: 'cannot read type here' };
    return { ok: true, returnJson: VALUES[`${path} ${property}`] ?? `"${path.split('/').pop() ?? ''}"`, durationMs: 1 };
  });
  return api;
}

const tree = () => screen.getByRole('tree', { name: 'QOM tree' });
const item = (name: RegExp) => within(tree()).getByRole('treeitem', { name });
const key = (code: string) => fireEvent.keyDown(tree(), { key: code });

describe('QOM browser', () => {
  it('opens /machine at once and loads deeper nodes only as they open', async () => {
    const api = qomApi();
    await renderWithStore(<QomView />, [], api);
    await waitFor(() => expect(item(/^peripheral child<container>/)).toBeTruthy());
    expect(item(/^\/machine/).getAttribute('aria-expanded')).toBe('true');
    expect(item(/^\/objects/).getAttribute('aria-expanded')).toBe('false');
    expect(item(/^peripheral-anon/).getAttribute('aria-level')).toBe('2');
    expect(api.mocks.qomList.mock.calls.map((call) => (call[0] as { path: string }).path)).toEqual(['/machine']);
  });

  it('moves with the arrow keys, Home and End like a tree, and opens with Right', async () => {
    const api = qomApi();
    await renderWithStore(<QomView />, [], api);
    await waitFor(() => expect(item(/^peripheral child/)).toBeTruthy());
    item(/^\/machine/).focus();
    key('ArrowDown');
    expect(document.activeElement).toBe(item(/^peripheral child/));
    expect(item(/^peripheral child/).getAttribute('aria-selected')).toBe('true');
    key('ArrowRight');
    await waitFor(() => expect(item(/^rng0/)).toBeTruthy());
    key('ArrowRight');
    expect(document.activeElement).toBe(item(/^rng0/));
    key('ArrowLeft');
    expect(document.activeElement).toBe(item(/^peripheral child/));
    key('ArrowLeft');
    expect(item(/^peripheral child/).getAttribute('aria-expanded')).toBe('false');
    key('End');
    expect(document.activeElement).toBe(item(/^\/objects/));
    key('Home');
    expect(document.activeElement).toBe(item(/^\/machine/));
    key('ArrowUp');
    expect(document.activeElement).toBe(item(/^\/machine/));
  });

  it('shows values read on selection, with a failed read\'s error, and follows a link to its target', async () => {
    const api = qomApi();
    await renderWithStore(<QomView />, [], api);
    await waitFor(() => expect(item(/^peripheral child/)).toBeTruthy());
    fireEvent.click(item(/^peripheral child/));
    key('ArrowRight');
    await waitFor(() => expect(item(/^rng0/)).toBeTruthy());
    key('ArrowDown');
    key('ArrowRight');
    await waitFor(() => expect(item(/^rng link<rng-backend> → \/machine\/peripheral\/rng0\/backend/)).toBeTruthy());
    const table = await screen.findByRole('table', { name: 'Properties of /machine/peripheral/rng0' });
    const row = (name: string) => within(table).getByRole('rowheader', { name }).closest('tr')!;
    await waitFor(() => expect(row('max-bytes').textContent).toContain('18446744073709551615'));
    expect(row('max-bytes').textContent).toContain('uint64');
    await waitFor(() => expect(row('type').textContent).toContain('GenericError: cannot read type here'));
    expect(within(table).queryByRole('rowheader', { name: 'backend' })).toBeNull();

    item(/^rng link/).focus();
    fireEvent.click(item(/^rng link/));
    key('Enter');
    await waitFor(() => expect(item(/^backend child<rng-builtin>/).getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(item(/^backend child<rng-builtin>/));
    await screen.findByRole('table', { name: 'Properties of /machine/peripheral/rng0/backend' });
  });

  it('shows a node that cannot be read in words, and sets a property only after the confirmation, showing the value read back', async () => {
    const api = qomApi();
    api.mocks.qomSet.mockResolvedValue({ set: { ok: true, returnJson: '{}', durationMs: 1 }, readBack: { ok: true, returnJson: '"iothread-now"', durationMs: 1 } });
    await renderWithStore(<QomView />, [], api);
    await waitFor(() => expect(item(/^\/objects/)).toBeTruthy());
    fireEvent.click(item(/^\/objects/));
    await screen.findByRole('table', { name: 'Properties of /objects' });
    key('ArrowRight');
    await waitFor(() => expect(item(/^io0/)).toBeTruthy());
    fireEvent.click(item(/^io0/));
    // /objects/io0 has no list in the fake: the failure is shown in words.
    await screen.findByText(/Could not read \/objects\/io0: DeviceNotFound/);
    fireEvent.click(item(/^\/objects/));
    await screen.findByRole('table', { name: 'Properties of /objects' });
    expect(api.mocks.qomSet).not.toHaveBeenCalled();
    // /objects itself has only children; use /machine's "type" instead.
    fireEvent.click(item(/^\/machine/));
    const machine = await screen.findByRole('table', { name: 'Properties of /machine' });
    await waitFor(() => expect(within(machine).getByRole('rowheader', { name: 'type' }).closest('tr')!.textContent).toContain('"machine"'));
    fireEvent.click(within(machine).getByRole('button', { name: 'Set type' }));
    const edit = screen.getByRole('dialog', { name: 'Set type' });
    const input = within(edit).getByRole('textbox');
    expect((input as HTMLInputElement).value).toBe('"machine"');
    fireEvent.change(input, { target: { value: 'not json' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Set…' }));
    expect(within(edit).getByText(/Not JSON/)).toBeTruthy();
    fireEvent.change(input, { target: { value: '"iothread-now"' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Set…' }));
    const confirm = screen.getByRole('dialog', { name: 'Set the property?' });
    expect(confirm.textContent).toContain('qom-set type of /machine to "iothread-now"');
    expect(api.mocks.qomSet).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(within(confirm).getByRole('button', { name: 'Set' }));
    });
    expect(api.mocks.qomSet).toHaveBeenCalledWith({ vmId: 'vm1', path: '/machine', property: 'type', valueJson: '"iothread-now"' });
    await waitFor(() => expect(within(machine).getByRole('rowheader', { name: 'type' }).closest('tr')!.textContent).toContain('"iothread-now"'));
    expect(screen.getByRole('status').textContent).toMatch(/done; read back "iothread-now"/);
  });

  it('says why there is nothing to browse when the VM is not connected', async () => {
    await renderWithStore(<QomView />, [makeVm('vm1', { connection: { phase: 'reconnecting', attempt: 2, since: 3 } })]);
    expect(screen.getByText(/is not connected \(reconnecting\)/)).toBeTruthy();
    expect(screen.queryByRole('tree')).toBeNull();
  });
});
