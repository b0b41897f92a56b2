// @vitest-environment happy-dom
/**
 * The wire inspector over the real store and a fake API: what it asks for (after the last seq
 * it holds), how it shows each message (direction, bytes, CR marks, text never as HTML) and
 * what it says about dropped messages.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_WIRE_TEXT_CHARS } from '../../../electron/common/wire-entry';
import { parseRecording } from '../../../electron/common/wire-recording';
import { WireView } from '../../../renderer/src/features/console/wire-view';
import { createFakeApi, makeVm } from './support/fake-api';
import { renderWithStore } from './support/render-app';

afterEach(cleanup);

const entry = (seq: number, dir: 'in' | 'out', text: string) => ({ seq, dir, at: 1_780_000_000_000 + seq, bytes: new TextEncoder().encode(text).length, text, textLength: text.length, truncated: false });

describe('WireView', () => {
  it('lists both directions with byte counts, marks CRs, keeps markup as text, and polls after the last seq', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    api.mocks.getWire
      .mockResolvedValueOnce({ entries: [entry(1, 'out', '{"execute":"query-status","id":1}'), entry(2, 'in', '{"return": {"status": "<b>x</b>"}, "id": 1}\r\n')], lastSeq: 2, dropped: 3, more: false })
      .mockResolvedValue({ entries: [entry(3, 'in', '{"event": "STOP"}\r\n')], lastSeq: 3, dropped: 3, more: false });
    const { container } = await renderWithStore(<WireView />, [makeVm('vm1')], api);
    const list = await screen.findByRole('list', { name: 'QMP messages' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(api.mocks.getWire).toHaveBeenNthCalledWith(1, { vmId: 'vm1', afterSeq: 0, maxTextChars: 16384 }, expect.anything());
    const [sent, received] = within(list).getAllByRole('listitem');
    expect(sent!.getAttribute('aria-label')).toMatch(/^sent 33 bytes at /);
    expect(received!.getAttribute('aria-label')).toMatch(/^received 45 bytes at /);
    expect(received!.querySelectorAll('abbr[title^="carriage return"]')).toHaveLength(1);
    expect(container.querySelector('pre b')).toBeNull();
    expect(screen.getByText(/3 older dropped/)).toBeTruthy();
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3), { timeout: 5000 });
    expect(api.mocks.getWire).toHaveBeenNthCalledWith(2, { vmId: 'vm1', afterSeq: 2, maxTextChars: 16384 }, expect.anything());
  });
});

describe('Save recording', () => {
  it('asks the core again for whole texts (not the cut ones shown) and offers them as the recording format', async () => {
    const api = createFakeApi([makeVm('vm1')]);
    const long = `{"return": "${'x'.repeat(20_000)}", "id": 1}\r\n`;
    api.mocks.getWire.mockImplementation((params: { maxTextChars?: number }) => {
      const cut = params.maxTextChars !== undefined && long.length > params.maxTextChars;
      const text = cut ? long.slice(0, params.maxTextChars) : long;
      return Promise.resolve({ entries: [{ ...entry(1, 'in', text), textLength: long.length, truncated: cut }], lastSeq: 1, dropped: 0, more: false });
    });
    const saved: Blob[] = [];
    const names: string[] = [];
    const download = await import('../../../renderer/src/lib/download');
    const spy = vi.spyOn(download, 'downloadBlob').mockImplementation((blob, name) => {
      saved.push(blob);
      names.push(name);
    });
    try {
      await renderWithStore(<WireView />, [makeVm('vm1')], api);
      fireEvent.click(await screen.findByRole('button', { name: 'Save recording' }));
      await screen.findByText('Saved 1 messages.');
      expect(api.mocks.getWire).toHaveBeenCalledWith({ vmId: 'vm1', afterSeq: 0, maxTextChars: MAX_WIRE_TEXT_CHARS }, undefined);
      expect(names[0]).toMatch(/^qmp-recording-vm1-\d{8}-\d{6}\.jsonl$/);
      const { entries, badLines } = parseRecording(await saved[0]!.text());
      expect(badLines).toEqual([]);
      expect(entries).toEqual([{ dir: 'in', t: 1_780_000_000_001, text: long }]);
    } finally {
      spy.mockRestore();
    }
  });
});
