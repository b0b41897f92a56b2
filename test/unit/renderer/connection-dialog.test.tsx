// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar as VmSidebar, StatusArea as StatusPanel } from '../../../renderer/src/app/composed-features';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

async function openDialog() {
  const rendered = await renderWithStore(<VmSidebar />);
  const opener = screen.getByRole('button', { name: 'Add connection' });
  opener.focus();
  fireEvent.click(opener);
  return { ...rendered, opener, dialog: screen.getByRole('dialog', { name: 'Add connection' }) };
}

describe('Add connection dialog', () => {
  it('opens with labelled fields and focus inside', async () => {
    const { dialog } = await openDialog();
    const label = within(dialog).getByLabelText('Label');
    expect(document.activeElement).toBe(label);
    expect(within(dialog).getByLabelText('Socket path or HOST:PORT')).toBeTruthy();
    expect((within(dialog).getByLabelText('Auto-connect') as HTMLInputElement).checked).toBe(true);
  });

  it('requires a target and says so inline without calling the core', async () => {
    const { dialog, api } = await openDialog();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    const target = within(dialog).getByLabelText('Socket path or HOST:PORT');
    expect(target.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(target);
    expect(document.getElementById(target.getAttribute('aria-describedby')!)?.textContent).toMatch(/socket path/);
    expect(api.mocks.addVm).not.toHaveBeenCalled();
  });

  it('shows the core’s refusal and keeps what was typed', async () => {
    const api = createFakeApi();
    api.mocks.addVm.mockRejectedValue(new Error('invalid addVm request at target: not a socket path or HOST:PORT'));
    await renderWithStore(<VmSidebar />, [], api);
    fireEvent.click(screen.getByRole('button', { name: 'Add connection' }));
    const dialog = screen.getByRole('dialog', { name: 'Add connection' });
    fireEvent.change(within(dialog).getByLabelText('Label'), { target: { value: 'web' } });
    fireEvent.change(within(dialog).getByLabelText('Socket path or HOST:PORT'), { target: { value: 'nonsense::' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toBe('invalid addVm request at target: not a socket path or HOST:PORT');
    expect((within(dialog).getByLabelText('Socket path or HOST:PORT') as HTMLInputElement).value).toBe('nonsense::');
    expect(api.mocks.addVm).toHaveBeenCalledWith({ label: 'web', target: 'nonsense::', autoConnect: true });
  });

  it('adds, selects the new VM and closes, returning focus to the opener', async () => {
    const { dialog, api, store, opener } = await openDialog();
    fireEvent.change(within(dialog).getByLabelText('Socket path or HOST:PORT'), { target: { value: ' /run/vm9/qmp.sock ' } });
    fireEvent.click(within(dialog).getByLabelText('Auto-connect'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.mocks.addVm).toHaveBeenCalledWith({ label: '', target: '/run/vm9/qmp.sock', autoConnect: false });
    expect(store.getState().selectedId).toBe('new');
    expect(document.activeElement).toBe(opener);
  });

  it('closes on Escape and keeps Tab inside', async () => {
    const { dialog, opener } = await openDialog();
    const buttons = within(dialog).getAllByRole('button');
    const last = buttons[buttons.length - 1]!;
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Label'));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe('Edit connection', () => {
  it('is prefilled and saves through updateVm', async () => {
    const vm = makeVm('a', { config: { id: 'a', label: 'Web', target: '/run/a.sock', autoConnect: false } });
    const { api } = await renderWithStore(<StatusPanel />, [vm]);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit connection' });
    expect((within(dialog).getByLabelText('Label') as HTMLInputElement).value).toBe('Web');
    expect((within(dialog).getByLabelText('Auto-connect') as HTMLInputElement).checked).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('Socket path or HOST:PORT'), { target: { value: '127.0.0.1:4444' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.mocks.updateVm).toHaveBeenCalledWith({ id: 'a', label: 'Web', target: '127.0.0.1:4444', autoConnect: false });
  });
});
