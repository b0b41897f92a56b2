import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KINDS, KIND_WORDS, eventKind, eventSummary, kindColorVariable } from '../../../renderer/src/features/timeline/event-kinds';

/**
 * A fixture's text through Vite's `?raw` import (renderer tests have no Node API).
 * The specifier is built at run time so Vite leaves it to the test runner.
 */
async function readRaw(relative: string): Promise<string> {
  const module = (await import(/* @vite-ignore */ `${relative}?raw`)) as { default: string };
  return module.default;
}

const files = new Map<string, string>();

beforeAll(async () => {
  for (const path of [
    '../../fixtures/qmp/transcripts/events-run-state.jsonl',
    '../../fixtures/qmp/transcripts/devices-and-block.jsonl',
  ]) {
    files.set(path.slice(path.lastIndexOf('/') + 1), await readRaw(path));
  }
});

/** Every event QEMU 7.2 sent in a recorded transcript, as the timeline receives it. */
function recordedEvents(file: string): { event: string; dataJson?: string }[] {
  const events: { event: string; dataJson?: string }[] = [];
  let stream = '';
  for (const line of (files.get(file) ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { dir: string; data?: string };
    if (record.dir === 'recv' && record.data) stream += record.data;
  }
  for (const message of stream.split('\r\n')) {
    if (!message.startsWith('{')) continue;
    const parsed = JSON.parse(message) as { event?: string; data?: unknown };
    if (parsed.event === undefined) continue;
    events.push(parsed.data === undefined ? { event: parsed.event } : { event: parsed.event, dataJson: JSON.stringify(parsed.data) });
  }
  return events;
}

describe('eventKind', () => {
  it('sorts QEMU 7.2 event names into kinds', () => {
    for (const name of ['STOP', 'RESUME', 'RESET', 'SHUTDOWN', 'POWERDOWN', 'SUSPEND', 'SUSPEND_DISK', 'WAKEUP']) expect(eventKind(name)).toBe('run-state');
    for (const name of ['BLOCK_IO_ERROR', 'BLOCK_IMAGE_CORRUPTED', 'BLOCK_WRITE_THRESHOLD', 'BLOCK_EXPORT_DELETED', 'QUORUM_FAILURE']) expect(eventKind(name)).toBe('block');
    for (const name of ['BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED', 'BLOCK_JOB_ERROR', 'BLOCK_JOB_READY', 'BLOCK_JOB_PENDING', 'JOB_STATUS_CHANGE']) expect(eventKind(name)).toBe('job');
    for (const name of ['DEVICE_DELETED', 'DEVICE_TRAY_MOVED', 'NIC_RX_FILTER_CHANGED', 'DEVICE_UNPLUG_GUEST_ERROR', 'ACPI_DEVICE_OST', 'VSERPORT_CHANGE']) expect(eventKind(name)).toBe('device');
    for (const name of ['MIGRATION', 'MIGRATION_PASS', 'COLO_EXIT']) expect(eventKind(name)).toBe('migration');
    for (const name of ['GUEST_PANICKED', 'GUEST_CRASHLOADED', 'WATCHDOG', 'BALLOON_CHANGE', 'RTC_CHANGE']) expect(eventKind(name)).toBe('guest');
    for (const name of ['VNC_CONNECTED', 'DUMP_COMPLETED', 'SOME_FUTURE_EVENT', '']) expect(eventKind(name)).toBe('other');
  });

  it('makes every app marker a marker, whatever its name', () => {
    expect(eventKind('STOP', 'command')).toBe('marker');
    expect(eventKind('connected', 'connected')).toBe('marker');
  });

  it('classifies every event in the recorded QEMU transcripts as something known', () => {
    const events = [...recordedEvents('events-run-state.jsonl'), ...recordedEvents('devices-and-block.jsonl')];
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) expect(eventKind(event.event), event.event).not.toBe('other');
  });

  it('has a word and a CSS colour variable for every kind', () => {
    for (const kind of EVENT_KINDS) {
      expect(KIND_WORDS[kind]).toMatch(/^[a-z ]+$/);
      expect(kindColorVariable(kind)).toBe(`--kind-${kind}`);
    }
    expect(KIND_WORDS['run-state']).toBe('run state');
  });
});

describe('eventSummary of QEMU events', () => {
  const summary = (event: string, data?: unknown) => eventSummary(data === undefined ? { event } : { event, dataJson: JSON.stringify(data) });

  it('summarises the recorded transcripts', () => {
    const lines = [...recordedEvents('events-run-state.jsonl'), ...recordedEvents('devices-and-block.jsonl')].map((event) => eventSummary(event));
    expect(lines).toContain('STOP');
    expect(lines).toContain('RESUME');
    expect(lines).toContain('POWERDOWN');
    expect(lines).toContain('RESET host-qmp-system-reset');
    expect(lines).toContain('RESET guest-reset');
    expect(lines).toContain('SHUTDOWN host-qmp-quit');
    expect(lines).toContain('BLOCK_JOB_COMPLETED job-backup 64 MiB');
    expect(lines).toContain('BLOCK_JOB_READY job-mirror mirror');
    expect(lines).toContain('JOB_STATUS_CHANGE job-backup running');
    expect(lines).toContain('DEVICE_DELETED tab1');
  });

  it('reads the members people look for', () => {
    expect(summary('SHUTDOWN', { guest: true, reason: 'guest-shutdown' })).toBe('SHUTDOWN guest-shutdown');
    expect(summary('BLOCK_JOB_COMPLETED', { device: 'drive0', len: 1288490189, offset: 1288490189, speed: 0, type: 'backup' })).toBe('BLOCK_JOB_COMPLETED drive0 1.2 GiB');
    expect(summary('BLOCK_JOB_COMPLETED', { device: 'drive0', len: 1024, offset: 0, speed: 0, type: 'mirror', error: 'No space left on device' })).toBe(
      'BLOCK_JOB_COMPLETED drive0 1 KiB error: No space left on device',
    );
    expect(summary('BLOCK_JOB_CANCELLED', { device: 'j1', len: 2097152, offset: 1048576, speed: 0, type: 'mirror' })).toBe('BLOCK_JOB_CANCELLED j1 at 1 MiB of 2 MiB');
    expect(summary('BLOCK_JOB_ERROR', { device: 'j1', operation: 'write', action: 'report' })).toBe('BLOCK_JOB_ERROR j1 write → report');
    expect(summary('BLOCK_IO_ERROR', { device: 'ide0-hd0', 'node-name': '#block123', operation: 'write', action: 'stop', nospace: true, reason: 'No space left on device' })).toBe(
      'BLOCK_IO_ERROR ide0-hd0 write → stop No space left on device',
    );
    expect(summary('BLOCK_IO_ERROR', { device: '', 'node-name': 'disk0', operation: 'read', action: 'report', reason: 'Input/output error' })).toBe(
      'BLOCK_IO_ERROR disk0 read → report Input/output error',
    );
    expect(summary('DEVICE_DELETED', { path: '/machine/peripheral-anon/device[0]' })).toBe('DEVICE_DELETED /machine/peripheral-anon/device[0]');
    expect(summary('DEVICE_TRAY_MOVED', { device: 'ide1-cd0', id: 'cd0', 'tray-open': true })).toBe('DEVICE_TRAY_MOVED cd0 open');
    expect(summary('NIC_RX_FILTER_CHANGED', { name: 'net0', path: '/machine/peripheral/net0/virtio-backend' })).toBe('NIC_RX_FILTER_CHANGED net0');
    expect(summary('MIGRATION', { status: 'completed' })).toBe('MIGRATION completed');
    expect(summary('MIGRATION_PASS', { pass: 3 })).toBe('MIGRATION_PASS pass 3');
    expect(summary('BALLOON_CHANGE', { actual: 1073741824 })).toBe('BALLOON_CHANGE 1 GiB');
    expect(summary('WATCHDOG', { action: 'reset' })).toBe('WATCHDOG reset');
    expect(summary('GUEST_PANICKED', { action: 'pause' })).toBe('GUEST_PANICKED pause');
    expect(summary('RTC_CHANGE', { offset: 3600, 'qom-path': '/machine/unattached/device[2]' })).toBe('RTC_CHANGE +3600 s');
    expect(summary('VNC_CONNECTED', { server: { auth: 'none', family: 'ipv4', service: '5900', host: '127.0.0.1', websocket: false }, client: { family: 'ipv4', service: '40222', host: '127.0.0.1', websocket: false } })).toBe(
      'VNC_CONNECTED 127.0.0.1:40222',
    );
  });

  it('keeps sizes beyond 2^53 exact in bytes and lists unknown events by their first members', () => {
    expect(eventSummary({ event: 'BALLOON_CHANGE', dataJson: '{"actual":18446744073709551615}' })).toBe('BALLOON_CHANGE 16 EiB');
    expect(eventSummary({ event: 'FUTURE_THING', dataJson: '{"id":"x1","count":18446744073709551615,"nested":{"a":1},"ok":true,"more":"y"}' })).toBe(
      'FUTURE_THING id=x1 count=18446744073709551615 ok=true',
    );
  });

  it('never throws on missing, broken or oddly typed data, and stays one short line', () => {
    expect(summary('SHUTDOWN')).toBe('SHUTDOWN');
    expect(eventSummary({ event: 'RESET', dataJson: '{not json' })).toBe('RESET');
    expect(eventSummary({ event: 'RESET', dataJson: '[1,2]' })).toBe('RESET');
    expect(summary('BLOCK_JOB_COMPLETED', { device: 42, len: 'big' })).toBe('BLOCK_JOB_COMPLETED 42');
    const long = summary('BLOCK_IO_ERROR', { device: 'd', operation: 'write', action: 'stop', reason: 'x'.repeat(500) });
    expect(long.length).toBe(160);
    expect(long.endsWith('…')).toBe(true);
    expect(summary('DEVICE_DELETED', { device: '<img src=x onerror=alert(1)>' })).toBe('DEVICE_DELETED <img src=x onerror=alert(1)>');
  });
});

describe('eventSummary of app markers', () => {
  const marker = (kind: 'connected' | 'disconnected' | 'reconnect' | 'command', event: string, data?: unknown) =>
    eventSummary({ event, marker: kind, ...(data === undefined ? {} : { dataJson: JSON.stringify(data) }) });

  it('says what the app did and how it went', () => {
    expect(marker('connected', 'connected', { version: '7.2.0' })).toBe('connected QEMU 7.2.0');
    expect(marker('connected', 'connected', { qemu: { micro: 22, minor: 2, major: 7 }, package: 'Debian 1:7.2+dfsg-7+deb12u18' })).toBe('connected QEMU 7.2.22');
    expect(marker('connected', 'connected', { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: '' }, capabilities: ['oob'] })).toBe('connected QEMU 7.2.0');
    expect(marker('connected', 'connected')).toBe('connected');
    expect(marker('disconnected', 'disconnected', { reason: 'QEMU closed the connection' })).toBe('disconnected QEMU closed the connection');
    expect(marker('reconnect', 'reconnect', { attempt: 3, delayMs: 2000 })).toBe('reconnect attempt 3 in 2 s');
    expect(marker('reconnect', 'reconnect', { attempt: 1, delayMs: 250 })).toBe('reconnect attempt 1 in 250 ms');
    expect(marker('command', 'command', { command: 'stop', ok: true, durationMs: 3 })).toBe('stop → ok');
    expect(marker('command', 'command', { command: 'stop', outcome: 'ok' })).toBe('stop → ok');
    expect(marker('command', 'command', { command: 'device_del', ok: false, errorClass: 'GenericError', desc: 'Device net1 is already in the process of unplug' })).toBe(
      'device_del → GenericError',
    );
    expect(marker('command', 'command', { command: 'query-status', outcome: 'error', errorClass: 'timeout' })).toBe('query-status → timeout');
    expect(marker('command', 'system_reset')).toBe('system_reset → sent');
  });
});
