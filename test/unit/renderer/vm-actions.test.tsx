// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../../electron/common/models';
import { StatusArea as StatusPanel } from '../../../renderer/src/app/composed-features';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const clickable = (name: string) => button(name).element;

const toolbar = () => screen.getByRole('toolbar', { name: 'VM actions' });
const button = (name: string) => {
  const element = within(toolbar()).getByRole('button', { name });
  // Unavailable actions stay focusable (aria-disabled), per the ARIA toolbar pattern.
  return { element, disabled: element.getAttribute('aria-disabled') === 'true' };
};
const runState = () => screen.getByLabelText('Run state').textContent;

describe('VM actions', () => {
  it('enables Pause only while running and Resume only while not', async () => {
    const { api } = await renderWithStore(<StatusPanel />, [makeVm('vm1')]);
    expect(button('Pause').disabled).toBe(false);
    expect(button('Resume').disabled).toBe(true);
    act(() => api.emit('vmChanged', makeVm('vm1', { runState: { status: 'prelaunch', running: false, updatedAt: 2, source: 'query-status' } })));
    expect(button('Pause').disabled).toBe(true);
    expect(button('Resume').disabled).toBe(false);
    for (const name of ['Reset', 'Power down', 'Quit']) expect(button(name).disabled).toBe(false);
  });

  it('ignores clicks on unavailable actions and moves focus with the arrow keys', async () => {
    const { api } = await renderWithStore(<StatusPanel />, [makeVm('vm1')]);
    fireEvent.click(clickable('Resume'));
    expect(api.mocks.executeCommand).not.toHaveBeenCalled();
    const tabStops = within(toolbar()).getAllByRole('button').filter((b) => b.tabIndex === 0);
    expect(tabStops.map((b) => b.textContent)).toEqual(['Pause']);
    clickable('Pause').focus();
    fireEvent.keyDown(clickable('Pause'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(clickable('Resume'));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(clickable('Quit'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(clickable('Pause'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(clickable('Quit'));
  });

  it('disables every action while not connected', async () => {
    await renderWithStore(<StatusPanel />, [makeVm('vm1', { connection: { phase: 'reconnecting', reason: 'EOF', attempt: 1, since: 1 } })]);
    for (const name of ['Pause', 'Resume', 'Reset', 'Power down', 'Quit']) expect(button(name).disabled).toBe(true);
  });

  it('shows busy while waiting and the run state only from QEMU’s report', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    let reply: (outcome: CommandOutcome) => void = () => {};
    api.mocks.executeCommand.mockImplementation(() => new Promise((resolve) => (reply = resolve)));
    await renderWithStore(<StatusPanel />, [], api);
    fireEvent.click(clickable('Pause'));
    expect(toolbar().getAttribute('aria-busy')).toBe('true');
    expect(button('Pause').disabled).toBe(true);
    expect(runState()).toBe('running');
    act(() => api.emit('vmChanged', makeVm('vm1', { runState: { status: 'paused', running: false, updatedAt: 3, source: 'STOP' } })));
    expect(runState()).toBe('paused');
    await act(async () => reply({ ok: true, returnJson: '{}', durationMs: 1 }));
    expect(toolbar().getAttribute('aria-busy')).toBe('false');
    expect(button('Resume').disabled).toBe(false);
    expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'stop' });
  });

  it('asks before Reset; Cancel sends nothing, Reset sends system_reset', async () => {
    const { api } = await renderWithStore(<StatusPanel />, [makeVm('vm1')]);
    fireEvent.click(clickable('Reset'));
    let dialog = screen.getByRole('dialog', { name: 'Reset vm1?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.mocks.executeCommand).not.toHaveBeenCalled();

    fireEvent.click(clickable('Reset'));
    dialog = screen.getByRole('dialog', { name: 'Reset vm1?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'system_reset' }));
  });

  it('asks before Quit and Escape cancels', async () => {
    const { api } = await renderWithStore(<StatusPanel />, [makeVm('vm1')]);
    fireEvent.click(clickable('Quit'));
    const dialog = screen.getByRole('dialog', { name: 'Quit vm1?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(clickable('Quit'));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Quit vm1?' })).getByRole('button', { name: 'Quit' }));
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'quit' }));
  });

  it('shows a failing command’s QMP class and description as an alert', async () => {
    const api = createFakeApi([makeVm('vm1', { runState: { status: 'guest-panicked', running: false, updatedAt: 1, source: 'GUEST_PANICKED' } })]);
    api.mocks.executeCommand.mockResolvedValue({ ok: false, errorClass: 'GenericError', desc: 'Resetting the Virtual Machine is required', durationMs: 2 });
    await renderWithStore(<StatusPanel />, [], api);
    fireEvent.click(clickable('Resume'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('GenericError: Resetting the Virtual Machine is required');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss error' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
