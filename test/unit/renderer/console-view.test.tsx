// @vitest-environment happy-dom
/**
 * The Console view over the real store and a fake API, with a small schema in QEMU's own
 * SchemaInfo form (masked type names included): keys, what is sent, how answers are shown,
 * checks before sending, HMP and the history. (The real 7.2 schema is used by the e2e test in
 * Chromium; this file is type-checked for the browser, so it reads no files.)
 */
import { EditorView } from '@codemirror/view';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleView } from '../../../renderer/src/features/console/console-view';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

/** query-status, stop, device_del(id: str), balloon(value: int), human-monitor-command, as `query-qmp-schema` lists them. */
const SCHEMA_JSON = JSON.stringify([
  { name: 'query-status', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '1' },
  { name: 'stop', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0' },
  { name: 'device_del', 'meta-type': 'command', 'arg-type': '2', 'ret-type': '0' },
  { name: 'balloon', 'meta-type': 'command', 'arg-type': '3', 'ret-type': '0' },
  { name: 'human-monitor-command', 'meta-type': 'command', 'arg-type': '4', 'ret-type': 'str' },
  { name: 'query-yank', 'meta-type': 'command', 'arg-type': '0', 'ret-type': '0', 'allow-oob': true },
  { name: '0', 'meta-type': 'object', members: [] },
  { name: '1', 'meta-type': 'object', members: [{ name: 'running', type: 'bool' }, { name: 'status', type: 'str' }] },
  { name: '2', 'meta-type': 'object', members: [{ name: 'id', type: 'str' }] },
  { name: '3', 'meta-type': 'object', members: [{ name: 'value', type: 'int' }] },
  { name: '4', 'meta-type': 'object', members: [{ name: 'command-line', type: 'str' }, { name: 'cpu-index', type: 'int', default: null }] },
  { name: 'str', 'meta-type': 'builtin', 'json-type': 'string' },
  { name: 'int', 'meta-type': 'builtin', 'json-type': 'int' },
  { name: 'bool', 'meta-type': 'builtin', 'json-type': 'boolean' },
]);

async function renderConsole(configure?: (api: ReturnType<typeof createFakeApi>) => void) {
  const api = createFakeApi([makeVm('vm1')]);
  api.mocks.getSchema.mockResolvedValue({ schemaJson: SCHEMA_JSON, qemu: '7.2.22', package: '' });
  configure?.(api);
  const rendered = await renderWithStore(<ConsoleView />, [makeVm('vm1')], api);
  await screen.findByText('Schema of QEMU 7.2.22');
  return rendered;
}

/** CodeMirror's view behind the editable element named Command. */
function editorView(): EditorView {
  const content = screen.getByRole('textbox', { name: 'Command' });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error('no CodeMirror view');
  return view;
}

function setText(text: string) {
  const view = editorView();
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.length } }));
}

function press(key: string, modifiers: { shiftKey?: boolean; ctrlKey?: boolean } = {}) {
  act(() => {
    fireEvent.keyDown(editorView().contentDOM, { key, ...modifiers });
  });
}

const entries = () => within(screen.getByRole('log', { name: 'Commands and replies' })).queryAllByRole('article');

describe('ConsoleView', () => {
  it('sends a one-line shorthand command on Enter, through the store, and shows the reply paired with it', async () => {
    const { api } = await renderConsole((a) =>
      a.mocks.executeCommand.mockResolvedValue({ ok: true, returnJson: '{"status":"running","running":true,"size":18446744073709551615}', durationMs: 3.2 }),
    );
    setText('query-status');
    press('Enter');
    await waitFor(() => expect(entries()).toHaveLength(1));
    expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'query-status' });
    expect(api.mocks.addHistory).toHaveBeenCalledWith(expect.objectContaining({ vmId: 'vm1', mode: 'qmp', text: 'query-status' }));
    const entry = entries()[0]!;
    await within(entry).findByText(/in 3\.2 ms/);
    expect(within(entry).getByRole('treeitem', { name: 'size: 18446744073709551615' })).toBeTruthy();
    expect(within(entry).getByRole('button', { name: 'Copy reply' })).toBeTruthy();
    expect(editorView().state.doc.toString()).toBe('');
  });

  it('sends arguments as exact JSON, Shift+Enter adds a line and Ctrl+Enter sends several', async () => {
    const { api } = await renderConsole();
    setText('device_del id=vblk0');
    press('Enter');
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'device_del', argumentsJson: '{"id":"vblk0"}' }));
    setText('{"execute": "balloon",');
    press('Enter', { shiftKey: true });
    expect(editorView().state.doc.lines).toBe(2);
    act(() => editorView().dispatch({ changes: { from: editorView().state.doc.length, insert: ' "arguments": {"value": 9007199254740993}}' } }));
    press('Enter'); // several lines: Enter is a new line, not a send
    expect(api.mocks.executeCommand).toHaveBeenCalledTimes(1);
    press('Enter', { ctrlKey: true });
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledTimes(2));
    expect(api.mocks.executeCommand).toHaveBeenLastCalledWith({ vmId: 'vm1', command: 'balloon', argumentsJson: '{"value":9007199254740993}' });
  });

  it('sends a ! command out of band, says OOB is on, and flags ! on a command without allow-oob', async () => {
    const { api } = await renderConsole();
    expect(screen.getByText(/^OOB is on: start a command with ! /)).toBeTruthy();
    setText('!query-yank');
    press('Enter');
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'query-yank', oob: true }));
    setText('!query-status');
    expect((await screen.findByRole('list', { name: 'Problems' })).textContent).toMatch(/query-status does not allow exec-oob/);
  });

  it('shows an error reply with its class and description, apart from a success', async () => {
    await renderConsole((a) => a.mocks.executeCommand.mockResolvedValue({ ok: false, errorClass: 'DeviceNotFound', desc: "Device 'vblk0' not found", durationMs: 1 }));
    setText('device_del id=vblk0');
    press('Enter');
    const failure = await screen.findByRole('group', { name: 'Error DeviceNotFound' });
    expect(failure.textContent).toContain("Device 'vblk0' not found");
    expect(screen.queryByRole('tree')).toBeNull();
  });

  it('flags problems before sending, refuses the first Enter and sends on the second', async () => {
    const { api } = await renderConsole();
    setText('device_del bogus=1');
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(problems.textContent).toMatch(/unknown argument 'bogus'/);
    expect(problems.textContent).toMatch(/missing required argument 'id'/);
    press('Enter');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringMatching(/^Not sent: 2 problem/));
    expect(api.mocks.executeCommand).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send anyway' })).toBeTruthy();
    press('Enter');
    await waitFor(() => expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'device_del', argumentsJson: '{"bogus":1}' }));
  });

  it('sends HMP lines through human-monitor-command and shows the output as text with \\r\\n handled', async () => {
    const { api } = await renderConsole((a) => a.mocks.executeCommand.mockResolvedValue({ ok: true, returnJson: '"VM status: running\\r\\nsecond line\\r\\n"', durationMs: 1 }));
    fireEvent.click(screen.getByRole('switch', { name: 'HMP mode' }));
    await waitFor(() => expect(api.mocks.getHmpCommands).toHaveBeenCalledWith({ vmId: 'vm1' }));
    setText('info status');
    press('Enter');
    const output = await screen.findByLabelText('Output of info status');
    expect(output.tagName).toBe('PRE');
    expect(output.textContent).toBe('VM status: running\nsecond line\n');
    expect(api.mocks.executeCommand).toHaveBeenCalledWith({ vmId: 'vm1', command: 'human-monitor-command', argumentsJson: '{"command-line":"info status"}' });
  });

  it('walks this VM’s history with Up and Down, keeping the draft, and searches every VM’s with Ctrl+R', async () => {
    await renderConsole((a) =>
      a.mocks.getHistory.mockResolvedValue({
        entries: [
          { vmId: 'vm1', mode: 'qmp', text: 'query-name', at: 1 },
          { vmId: 'other', mode: 'qmp', text: 'query-cpus-fast', at: 2 },
          { vmId: 'vm1', mode: 'qmp', text: 'stop', at: 3 },
        ],
      }),
    );
    setText('draft');
    press('ArrowUp');
    await waitFor(() => expect(editorView().state.doc.toString()).toBe('stop'));
    press('ArrowUp');
    expect(editorView().state.doc.toString()).toBe('query-name');
    press('ArrowDown');
    press('ArrowDown');
    expect(editorView().state.doc.toString()).toBe('draft');
    press('r', { ctrlKey: true });
    const search = await screen.findByRole('searchbox', { name: 'Search history' });
    fireEvent.change(search, { target: { value: 'cpus' } });
    expect(within(screen.getByRole('listbox', { name: 'History matches' })).getAllByRole('option').map((o) => o.textContent)).toEqual(['query-cpus-fastother']);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(editorView().state.doc.toString()).toBe('query-cpus-fast');
  });

  it('counts the events that arrived while a command ran, without mixing them in', async () => {
    let answer: (value: { ok: true; returnJson: string; durationMs: number }) => void = () => undefined;
    const { api, store } = await renderConsole((a) => a.mocks.executeCommand.mockImplementation(() => new Promise((resolve) => (answer = resolve))));
    setText('stop');
    press('Enter');
    await screen.findByText('Waiting for QEMU…');
    act(() => api.emit('events', { events: [{ seq: 1, vmId: 'vm1', event: 'STOP', timestamp: { seconds: 1, microseconds: 0 }, receivedAt: Date.now() }] }));
    await act(async () => answer({ ok: true, returnJson: '{}', durationMs: 2 }));
    const link = await screen.findByRole('button', { name: '1 event meanwhile: show in timeline' });
    expect(screen.queryByText('STOP')).toBeNull();
    fireEvent.click(link);
    expect(store.getState().view).toBe('timeline');
    expect(store.getState().timelineScope).toBe('selected');
  });
});
