// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonTree, childPath, copyTextOf } from '../../../renderer/src/ui/json-tree';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A QMP BLOCK_JOB_COMPLETED event as QEMU 7.2 sends it, with a uint64 beyond 2^53. */
const EVENT =
  '{"timestamp":{"seconds":1780000000,"microseconds":123456},"event":"BLOCK_JOB_COMPLETED","data":{"device":"drive0","len":18446744073709551615,"offset":0,"speed":0,"type":"backup","items":[{"name":"a"},{"name":"b"},{"name":"c"}],"node-name":"#block1"}}';

/** A fake clipboard that records what was written, or refuses like a page without permission. */
function stubClipboard(refuse = false) {
  const written: string[] = [];
  const writeText = vi.fn(async (text: string) => {
    if (refuse) throw new DOMException('Write permission denied.', 'NotAllowedError');
    written.push(text);
  });
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
  return written;
}

function item(name: RegExp | string) {
  return screen.getByRole('treeitem', { name });
}

describe('paths and copied text', () => {
  it('writes paths as one would type them', () => {
    expect(childPath('', 'data')).toBe('data');
    expect(childPath('data', 'device')).toBe('data.device');
    expect(childPath(childPath('data', 'items'), 2)).toBe('data.items[2]');
    expect(childPath('data', 'node-name')).toBe('data["node-name"]');
    expect(childPath('', 'a"b')).toBe('["a\\"b"]');
  });

  it('copies strings as their text and everything else as exact JSON', () => {
    expect(copyTextOf('vblk0')).toBe('vblk0');
    expect(copyTextOf(18446744073709551615n)).toBe('18446744073709551615');
    expect(copyTextOf({ len: 18446744073709551615n })).toBe('{\n  "len": 18446744073709551615\n}');
    expect(copyTextOf(null)).toBe('null');
  });
});

describe('JsonTree', () => {
  it('is a named tree of items with levels and expanded state', () => {
    render(<JsonTree json={EVENT} label="BLOCK_JOB_COMPLETED from vm1" />);
    const tree = screen.getByRole('tree', { name: 'BLOCK_JOB_COMPLETED from vm1' });
    const data = within(tree).getByRole('treeitem', { name: /^data: \{/ });
    expect(data.getAttribute('aria-expanded')).toBe('true');
    expect(data.getAttribute('aria-level')).toBe('1');
    const device = item(/^device: "drive0"/);
    expect(device.getAttribute('aria-level')).toBe('2');
    expect(device.hasAttribute('aria-expanded')).toBe(false);
    // Two levels open by default; the array's objects are closed and show a count.
    expect(item(/^0: \{…\} 1 key/).getAttribute('aria-expanded')).toBe('false');
    // One tab stop: the first item.
    expect(screen.getAllByRole('treeitem').filter((element) => element.tabIndex === 0)).toHaveLength(1);
  });

  it('shows a 2^64-1 integer exactly', () => {
    render(<JsonTree json={EVENT} label="event" />);
    expect(item(/^len: 18446744073709551615$/)).toBeTruthy();
  });

  it('renders markup in data as text, never as HTML', () => {
    const json = '{"device":"<img src=x onerror=alert(1)>","note":"</script><script>alert(2)</script>","<b>key</b>":1}';
    const { container } = render(<JsonTree json={json} label="markup" />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(item('device: "<img src=x onerror=alert(1)>"')).toBeTruthy();
    expect(item('note: "</script><script>alert(2)</script>"')).toBeTruthy();
    expect(item('<b>key</b>: 1')).toBeTruthy();
  });

  it('moves and opens like a tree with the keyboard', () => {
    render(<JsonTree json={EVENT} label="event" />);
    const tree = screen.getByRole('tree');
    const timestamp = item(/^timestamp: \{/);
    act(() => timestamp.focus());
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(item(/^seconds: 1780000000/));
    fireEvent.keyDown(tree, { key: 'ArrowLeft' }); // to the parent
    expect(document.activeElement).toBe(item(/^timestamp: \{/));
    fireEvent.keyDown(tree, { key: 'ArrowLeft' }); // close it
    expect(item(/^timestamp: \{…\} 2 keys/).getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('treeitem', { name: /^seconds/ })).toBeNull();
    fireEvent.keyDown(tree, { key: 'ArrowRight' }); // open again
    expect(item(/^timestamp: \{/).getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(tree, { key: 'ArrowRight' }); // into the first child
    expect(document.activeElement).toBe(item(/^seconds/));
    fireEvent.keyDown(tree, { key: 'End' });
    expect(document.activeElement).toBe(item(/^node-name: "#block1"/));
    fireEvent.keyDown(tree, { key: 'Home' });
    expect(document.activeElement).toBe(item(/^timestamp/));
    expect((document.activeElement as HTMLElement).tabIndex).toBe(0);
    expect(document.activeElement?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(item(/^timestamp/).getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(tree, { key: 'ArrowUp' }); // already at the top: stays
    expect(document.activeElement).toBe(item(/^timestamp/));
  });

  it('copies the selected value and its path, and the whole event', async () => {
    const written = stubClipboard();
    render(<JsonTree json={EVENT} label="event" wholeText={EVENT} />);
    fireEvent.click(item(/^0: \{…\}/));
    fireEvent.click(screen.getByRole('treeitem', { name: /^1: / }));
    // Open items[1] and select its name.
    fireEvent.keyDown(screen.getByRole('tree'), { key: 'ArrowRight' });
    fireEvent.keyDown(screen.getByRole('tree'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(item('name: "b"'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy path' })));
    expect(written.at(-1)).toBe('data.items[1].name');
    expect(screen.getByRole('status').textContent).toBe('Copied path data.items[1].name');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy value' })));
    expect(written.at(-1)).toBe('b');
    fireEvent.click(item(/^len: /));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy value' })));
    expect(written.at(-1)).toBe('18446744073709551615');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy event' })));
    expect(written.at(-1)).toBe(EVENT);
    expect(screen.getByRole('status').textContent).toBe('Copied the whole event');
  });

  it('uses a root path for a tree of the data alone', async () => {
    const written = stubClipboard();
    render(<JsonTree json={'{"device":"vblk0","path":"/machine/peripheral/vblk0"}'} label="data" rootPath="data" />);
    fireEvent.click(item('device: "vblk0"'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy path' })));
    expect(written).toEqual(['data.device']);
  });

  it('says so when the clipboard is refused', async () => {
    stubClipboard(true);
    render(<JsonTree json={EVENT} label="event" wholeText={EVENT} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy event' })));
    expect(screen.getByRole('status').textContent).toBe('Copy failed: the clipboard was refused (Write permission denied.)');
  });

  it('shows no data, scalars and text that is not JSON without failing', () => {
    const { rerender } = render(<JsonTree json={undefined} label="none" wholeText="{}" />);
    expect(screen.getByText('No data.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy event' })).toBeTruthy();
    rerender(<JsonTree json="18446744073709551615" label="scalar" />);
    expect(within(screen.getByRole('tree', { name: 'scalar' })).getByRole('treeitem').textContent).toBe('18446744073709551615');
    rerender(<JsonTree json={'{"a":<img src=x>'} label="broken" />);
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('pre')?.textContent).toBe('{"a":<img src=x>');
  });
});

describe('JsonTree on a big value', () => {
  it('shows a long array in pages of 100 and opens nothing beyond the first level', () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ 'node-name': `#block${i}`, stats: { rd_bytes: i } }));
    render(<JsonTree json={JSON.stringify(items)} label="reply" />);
    const tree = screen.getByRole('tree', { name: 'reply' });
    // 100 first-level items plus the "more" item; their objects stay closed (nothing below level 1).
    expect(within(tree).getAllByRole('treeitem')).toHaveLength(101);
    expect(within(tree).getAllByRole('treeitem').every((node) => node.getAttribute('aria-level') === '1')).toBe(true);
    expect(item(/^0: \{…\} 2 keys/).getAttribute('aria-setsize')).toBe('250');
    const more = item('Show 100 more (150 not shown)');
    act(() => more.focus());
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(within(tree).getAllByRole('treeitem')).toHaveLength(201);
    // Focus lands on the first item of the new page.
    expect(document.activeElement).toBe(item(/^100: \{…\}/));
    fireEvent.click(item('Show 50 more (50 not shown)'));
    expect(within(tree).getAllByRole('treeitem')).toHaveLength(250);
    expect(screen.queryByText(/Show \d+ more/)).toBeNull();
  });

  it('pages the members of an open container too', () => {
    const wide = { data: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, i])) };
    render(<JsonTree json={JSON.stringify(wide)} label="wide" />);
    expect(item(/^k99: 99$/)).toBeTruthy();
    expect(screen.queryByRole('treeitem', { name: /^k100:/ })).toBeNull();
    fireEvent.click(item('Show 20 more (20 not shown)'));
    expect(item(/^k119: 119$/)).toBeTruthy();
  });
});
