// @vitest-environment happy-dom
/**
 * The sliced export: the same bytes as the one-go export, progress after each slice, the page
 * given back between slices, and Cancel that stops it without a download.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '../../../electron/common/models';
import { EventBuffer } from '../../../renderer/src/state/event-buffer';
import { ExportControl } from '../../../renderer/src/features/timeline/timeline-export-control';
import { exportBlob, toCsv, toJsonLines } from '../../../renderer/src/features/timeline/timeline-export';
import { EventFilterRunner, NO_FILTER, type FilteredEvents } from '../../../renderer/src/features/timeline/timeline-filter';
import { TimelineIndex } from '../../../renderer/src/features/timeline/timeline-index';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Generous: the export runs in real slices on a busy machine. */
const WAIT_MS = 20_000;

const vmName = (id: string) => (id === 'a' ? '<b>vm "a"</b>, one' : id);

function many(count: number): FilteredEvents {
  const buffer = new EventBuffer(count);
  buffer.append(
    Array.from({ length: count }, (_, seq): TimelineEvent => ({
      seq,
      vmId: seq % 3 === 0 ? 'a' : 'b',
      event: seq % 2 ? 'BLOCK_JOB_COMPLETED' : 'STOP',
      timestamp: { seconds: 1_733_140_000 + seq, microseconds: seq % 1_000_000 },
      receivedAt: 1_733_140_000_000 + seq,
      ...(seq % 2 ? { dataJson: `{"device":"drive${seq}","len":18446744073709551615,"note":"a,\\"b\\"\\n"}` } : {}),
    })),
  );
  return new EventFilterRunner(new TimelineIndex()).update(buffer.window, NO_FILTER);
}

/** The same event at every index: a view as long as wanted for no memory. */
function endless(length: number): FilteredEvents {
  const event: TimelineEvent = { seq: 1, vmId: 'a', event: 'STOP', timestamp: { seconds: 1, microseconds: 0 }, receivedAt: 1 };
  return { length, total: length, at: () => event, positionAt: (index) => index, indexOfPosition: (position) => position };
}

describe('exportBlob', () => {
  it('builds the bytes of the one-go export, in slices that report progress and yield to other tasks', async () => {
    const events = many(12_003);
    for (const format of ['jsonl', 'csv'] as const) {
      const progress: number[] = [];
      let otherTasks = 0;
      const ticker = setInterval(() => otherTasks++, 0);
      const blob = await exportBlob(format, events, vmName, { sliceMs: 1, onProgress: (done, total) => (expect(total).toBe(12_003), progress.push(done)) });
      clearInterval(ticker);
      const expected = (format === 'jsonl' ? toJsonLines : toCsv)(events, vmName).join('');
      expect(await blob.text()).toBe(expected);
      expect(blob.type).toBe(format === 'jsonl' ? 'application/x-ndjson' : 'text/csv');
      expect(progress.length).toBeGreaterThan(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(12_003);
      expect(otherTasks).toBeGreaterThan(0);
    }
  });

  it('stops at the next slice once aborted, rejecting with the reason', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const exported = exportBlob('jsonl', endless(10_000_000), vmName, {
      signal: controller.signal,
      sliceMs: 1,
      onProgress: (done) => {
        progress.push(done);
        if (progress.length === 2) controller.abort(new Error('cancelled by the test'));
      },
    });
    await expect(exported).rejects.toThrow('cancelled by the test');
    expect(progress).toHaveLength(2);
    expect(progress[1]).toBeLessThan(10_000_000);
  });

  it('exports an empty CSV view as its header row', async () => {
    expect(await (await exportBlob('csv', endless(0), vmName)).text()).toBe('seq,time,vm,event,kind,summary,data\r\n');
  });
});

describe('the export control', () => {
  it('shows a named progress bar and a Cancel button while exporting; Cancel ends it with no download', async () => {
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test');
    render(<ExportControl events={endless(10_000_000)} vmName={vmName} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON Lines' }));
    const bar = await screen.findByRole('progressbar', { name: 'Exporting JSON Lines' }, { timeout: WAIT_MS });
    expect(bar.getAttribute('max')).toBe('10000000');
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull(), { timeout: WAIT_MS });
    expect(screen.queryByRole('button', { name: 'Cancel export' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Export JSON Lines' }) as HTMLButtonElement).disabled).toBe(false);
    expect(createObjectURL).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('ends in a download of the exported bytes and goes back to its buttons', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (blobs.push(blob as Blob), 'blob:test'));
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const events = many(12_345);
    render(<ExportControl events={events} vmName={vmName} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(blobs).toHaveLength(1), { timeout: WAIT_MS });
    expect(clicks).toHaveBeenCalledTimes(1);
    expect(await blobs[0]!.text()).toBe(toCsv(events, vmName).join(''));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull(), { timeout: WAIT_MS });
  });
});
