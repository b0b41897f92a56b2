// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar as VmSidebar } from '../../../renderer/src/app/composed-features';
import { createFakeApi } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const DEFAULTS = ['/home/u/.config/qmp-monitor/sockets', '/run/user/1000'];

async function renderSidebar(folders: readonly string[] = DEFAULTS) {
  const api = createFakeApi();
  api.mocks.getDiscoveryFolders.mockResolvedValue([...folders]);
  const rendered = await renderWithStore(<VmSidebar />, [], api);
  await waitFor(() => expect(api.mocks.getDiscoveryFolders).toHaveBeenCalled());
  return rendered;
}

async function openDialog(folders: readonly string[] = DEFAULTS) {
  const rendered = await renderSidebar(folders);
  // Wait for the read so the dialog opens on the real list.
  // The path is split into breakable pieces, so look for it in the section's text.
  const section = screen.getByRole('region', { name: 'Found sockets' });
  if (folders.length > 0) await waitFor(() => expect(section.textContent).toContain(folders[0]!));
  const opener = screen.getByRole('button', { name: 'Watched folders…' });
  opener.focus();
  fireEvent.click(opener);
  const dialog = screen.getByRole('dialog', { name: 'Watched folders' });
  const input = within(dialog).getByLabelText('Folder path') as HTMLInputElement;
  return { ...rendered, opener, dialog, input };
}

function typeAndAdd(dialog: HTMLElement, input: HTMLInputElement, path: string) {
  fireEvent.change(input, { target: { value: path } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Add folder' }));
}

describe('found sockets when nothing is found', () => {
  it('names the watched folders, and gives way to the list when a socket appears', async () => {
    const { api } = await renderSidebar();
    const section = screen.getByRole('region', { name: 'Found sockets' });
    await waitFor(() => expect(section.textContent).toContain(`None yet. Sockets created in ${DEFAULTS[0]} or ${DEFAULTS[1]} appear here.`));
    act(() => api.emit('discoveryChanged', [{ path: '/run/user/1000/vm.sock', folder: '/run/user/1000', seenAt: 1, alreadyAdded: false }]));
    expect(within(section).getByRole('button', { name: 'Add /run/user/1000/vm.sock' })).toBeTruthy();
    expect(section.textContent).not.toContain('None yet');
  });

  it('says so when no folder is watched', async () => {
    await renderSidebar([]);
    await screen.findByText('No folders are watched.');
  });
});

describe('Watched folders dialog', () => {
  it('opens on the current folders with focus in the path field', async () => {
    const { dialog, input } = await openDialog();
    expect(document.activeElement).toBe(input);
    const list = within(dialog).getByRole('list', { name: 'Folders' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(DEFAULTS.map((f) => `${f}Remove`));
    expect(within(dialog).getByRole('button', { name: `Remove ${DEFAULTS[1]!}` })).toBeTruthy();
  });

  it('refuses relative and duplicate paths next to the field, without calling the core', async () => {
    const { dialog, input, api } = await openDialog();
    typeAndAdd(dialog, input, 'vms/sockets');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('Use an absolute path: it must start with /.');
    expect(input.value).toBe('vms/sockets');
    typeAndAdd(dialog, input, ' /run/user/1000/ ');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('/run/user/1000 is already watched.');
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(2);
    expect(api.mocks.setDiscoveryFolders).not.toHaveBeenCalled();
  });

  it('adds with Enter, removes, saves the draft, closes and returns focus; the push refreshes the list', async () => {
    const { dialog, input, api, opener } = await openDialog();
    fireEvent.change(input, { target: { value: '/srv/vms/' } });
    fireEvent.submit(input.form!);
    expect(input.value).toBe('');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(document.activeElement).toBe(input);
    fireEvent.click(within(dialog).getByRole('button', { name: `Remove ${DEFAULTS[1]!}` }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.mocks.setDiscoveryFolders).toHaveBeenCalledWith({ folders: [DEFAULTS[0], '/srv/vms'] });
    // Focus comes back in the dialog's unmount effect, which React may run after the DOM removal.
    await waitFor(() => expect(document.activeElement).toBe(opener));
    const section = screen.getByRole('region', { name: 'Found sockets' });
    expect(section.textContent).toContain(`Sockets created in ${DEFAULTS[0]} or /srv/vms appear here.`);
    act(() => api.emit('discoveryChanged', [{ path: '/srv/vms/a.sock', folder: '/srv/vms', seenAt: 2, alreadyAdded: false }]));
    expect(within(section).getByRole('button', { name: 'Add /srv/vms/a.sock' })).toBeTruthy();
  });

  it('saves a path that was typed but not added yet', async () => {
    const { dialog, input, api } = await openDialog([]);
    expect(within(dialog).getByText('No folders are watched, so no sockets will be found.')).toBeTruthy();
    fireEvent.change(input, { target: { value: '/tmp/q' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.mocks.setDiscoveryFolders).toHaveBeenCalledWith({ folders: ['/tmp/q'] });
  });

  it('moves focus to the next Remove button, then to the field when the list empties', async () => {
    const { dialog } = await openDialog();
    const first = within(dialog).getByRole('button', { name: `Remove ${DEFAULTS[0]!}` });
    first.focus();
    fireEvent.click(first);
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: `Remove ${DEFAULTS[1]!}` })));
    fireEvent.click(document.activeElement!);
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByLabelText('Folder path')));
    expect(within(dialog).queryByRole('list')).toBeNull();
  });

  it('shows the core’s refusal and keeps the draft to fix', async () => {
    const api = createFakeApi();
    api.mocks.getDiscoveryFolders.mockResolvedValue([]);
    api.mocks.setDiscoveryFolders.mockRejectedValue(new Error('invalid setDiscoveryFolders request at folders.0: Too big'));
    await renderWithStore(<VmSidebar />, [], api);
    await screen.findByText('No folders are watched.');
    fireEvent.click(screen.getByRole('button', { name: 'Watched folders…' }));
    const dialog = screen.getByRole('dialog', { name: 'Watched folders' });
    typeAndAdd(dialog, within(dialog).getByLabelText('Folder path') as HTMLInputElement, '/very/long');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('invalid setDiscoveryFolders request at folders.0: Too big');
    expect(within(dialog).getByRole('button', { name: 'Remove /very/long' })).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText('No folders are watched.')).toBeTruthy();
  });

  it('discards edits on Escape and on Cancel, returning focus to the opener', async () => {
    const { dialog, input, api, opener } = await openDialog();
    typeAndAdd(dialog, input, '/srv/other');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    fireEvent.click(opener);
    const again = screen.getByRole('dialog', { name: 'Watched folders' });
    expect(within(again).queryByRole('button', { name: 'Remove /srv/other' })).toBeNull();
    fireEvent.click(within(again).getByRole('button', { name: `Remove ${DEFAULTS[0]!}` }));
    fireEvent.click(within(again).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(api.mocks.setDiscoveryFolders).not.toHaveBeenCalled();
  });

  it('will not save over folders it could not read', async () => {
    const api = createFakeApi();
    api.mocks.getDiscoveryFolders.mockRejectedValue(new Error('core unreachable'));
    await renderWithStore(<VmSidebar />, [], api);
    fireEvent.click(screen.getByRole('button', { name: 'Watched folders…' }));
    const dialog = screen.getByRole('dialog', { name: 'Watched folders' });
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Could not read the watched folders: core unreachable');
    expect((within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
