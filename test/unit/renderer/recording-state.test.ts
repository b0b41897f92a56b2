/**
 * A recording file opened in the page becomes the shapes the live views show: console entries
 * (paired, errors as errors, an unanswered command said so), timeline events under the
 * recording's id, and wire entries with exact UTF-8 byte counts. Opened and closed through the
 * store, it never reaches the core.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRecordingLine } from '../../../electron/common/wire-recording';
import { MonitorStore } from '../../../renderer/src/state/monitor-store';
import { openRecordingText } from '../../../renderer/src/state/recording-state';
import { createFakeApi } from './support/fake-api';

/** UTF-8 bytes of `text` (the wire inspector's byte count). */
const utf8 = (text: string) => new TextEncoder().encode(text).length;

/** The real CLI recording, through Vite's `?raw` import (renderer tests have no Node API). */
let FIXTURE = '';
beforeAll(async () => {
  const path = '../../fixtures/recordings/cli-shell-qemu-7.2.jsonl';
  FIXTURE = ((await import(/* @vite-ignore */ `${path}?raw`)) as { default: string }).default;
});

describe('openRecordingText', () => {
  it('turns a real CLI recording into console entries, events and wire entries', () => {
    const recording = openRecordingText('r1', 'shell.jsonl', FIXTURE);
    expect(recording.qemuVersion).toMatch(/^7\.2\./);
    expect(recording.consoleEntries.map((e) => [e.command, e.result?.ok])).toEqual([
      ['qmp_capabilities', true],
      ['query-status', true],
      ['cont', true],
      ['device_del', false],
      ['query-status', true],
    ]);
    const failed = recording.consoleEntries[3]?.result;
    expect(failed?.ok === false && failed.errorClass).toBe('DeviceNotFound');
    expect(recording.consoleEntries.every((e) => e.vmId === 'r1' && e.mode === 'qmp')).toBe(true);
    expect(recording.events.map((e) => [e.event, e.vmId])).toEqual([['RESUME', 'r1']]);
    expect(recording.wire).toHaveLength(12);
    expect(recording.wire[0]?.text).toMatch(/^\{"QMP": .*\r\n$/);
    expect(recording.wire.every((w) => !w.truncated && w.bytes === utf8(w.text))).toBe(true);
  });

  it('says when a command has no reply in the recording, and counts bytes of non-ASCII text', () => {
    const text = `${formatRecordingLine({ dir: 'out', t: 5, text: '{"execute":"query-name","id":"é"}\n' })}\n`;
    const recording = openRecordingText('r2', 'cut.jsonl', text);
    expect(recording.consoleEntries[0]?.result).toMatchObject({ ok: false, errorClass: 'no reply' });
    expect(recording.wire[0]?.bytes).toBe(35); // 34 characters, é being 2 bytes
    expect(recording.qemuVersion).toBeUndefined();
  });
});

describe('the store and recordings', () => {
  it('opens a recording (shown instead of the VM), selecting a VM shows the VM, closing frees it; the core is never asked', () => {
    const api = createFakeApi([]);
    const store = new MonitorStore(api);
    const recording = store.openRecording('shell.jsonl', FIXTURE);
    expect(store.getState().recordings).toEqual([recording]);
    expect(store.getState().recordingId).toBe(recording.id);
    const second = store.openRecording('again.jsonl', FIXTURE);
    expect(second.id).not.toBe(recording.id);
    store.showRecording(recording.id);
    expect(store.getState().recordingId).toBe(recording.id);
    store.closeRecording(recording.id);
    expect(store.getState().recordings).toEqual([second]);
    expect(store.getState().recordingId).toBeNull();
    for (const mock of Object.values(api.mocks)) expect(mock).not.toHaveBeenCalled();
  });
});
